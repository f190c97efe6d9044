// The portal's session cookie in next-auth v4's own format (a JWE: "dir" + A256GCM, its key
// derived from the secret with HKDF-SHA256, info "NextAuth.js Generated Encryption Key"), with
// the key derived once per secret instead of on every request. next-auth's encode/decode derive
// it on every call, on libuv's pool, and GET authorize reads the cookie on every hot code flow
// (figures in docs/architecture.md, "Signing, hashing and the session cookie"). Cookies stay
// interchangeable with next-auth's own functions (lib/auth/session-jwt.test.ts checks both
// ways), so sessions survive the change.
//
// The JWE work itself is jose's, in the 4.x line next-auth itself uses (node:crypto, sync
// inside): jose 6, the project's JOSE library elsewhere, runs on WebCrypto and measured dearer.
import { hkdfSync } from "node:crypto";
import { EncryptJWT, jwtDecrypt } from "jose4";
import type { JWT, JWTDecodeParams, JWTEncodeParams } from "next-auth/jwt";
import { v4 as uuidv4 } from "uuid";

/** next-auth's default session lifetime, when the caller passes none (it always does). */
const DEFAULT_MAX_AGE_S = 30 * 24 * 60 * 60;
/** next-auth's leeway on exp and nbf. */
const CLOCK_TOLERANCE_S = 15;

const keys = new Map<string, Uint8Array>();

function encryptionKey(secret: string | Buffer, salt: string): Uint8Array {
  // An empty secret would give a key anyone can compute (next-auth's HKDF refuses it too).
  if (!secret?.length) throw new TypeError("The session secret is empty");
  const id = `${salt.length}:${salt}:${typeof secret === "string" ? `s:${secret}` : `b:${secret.toString("base64")}`}`;
  let key = keys.get(id);
  if (!key) {
    // RFC 5869, as next-auth's getDerivedEncryptionKey (with @panva/hkdf) computes it.
    const info = `NextAuth.js Generated Encryption Key${salt ? ` (${salt})` : ""}`;
    key = new Uint8Array(hkdfSync("sha256", secret, salt, info, 32));
    if (keys.size >= 8) keys.clear(); // one secret per process in practice; never a leak
    keys.set(id, key);
  }
  return key;
}

export async function encodeSessionJwt({ token = {}, secret, maxAge = DEFAULT_MAX_AGE_S, salt = "" }: JWTEncodeParams): Promise<string> {
  return new EncryptJWT(token)
    .setProtectedHeader({ alg: "dir", enc: "A256GCM" })
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + maxAge)
    .setJti(uuidv4())
    .encrypt(encryptionKey(secret, salt));
}

/** The payload, or a throw when the token is not ours, tampered with or expired (as next-auth's). */
export async function decodeSessionJwt({ token, secret, salt = "" }: JWTDecodeParams): Promise<JWT | null> {
  if (!token) return null;
  const { payload } = await jwtDecrypt(token, encryptionKey(secret, salt), {
    clockTolerance: CLOCK_TOLERANCE_S,
    // Only what encode writes (next-auth's decode accepts any algorithm the key fits).
    keyManagementAlgorithms: ["dir"],
    contentEncryptionAlgorithms: ["A256GCM"],
  });
  return payload as JWT;
}
