// Sealing a value so that only the holder of a token can open it: AES-256-GCM under a key
// derived with HKDF-SHA256 (RFC 5869) from the plaintext token. The database stores only the
// token's SHA-256 (./tokens.ts); HKDF with its own salt is a different function of the token, so
// the stored hash gives no key. Used to keep a refresh token response for a retry that only the
// presenter of the rotated token can read (lib/oauth/grants/refresh-replay.ts).
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

const SALT = "latchkey token seal v1";
const IV_BYTES = 12; // NIST SP 800-38D §8.2: 96-bit IVs
const TAG_BYTES = 16;

/** `context` binds the key to one use (e.g. the row id): the same token seals differently elsewhere. */
const keyOf = (token: string, context: string) => Buffer.from(hkdfSync("sha256", token, SALT, context, 32));

/** base64url(iv ‖ tag ‖ ciphertext). */
export function sealWithToken(token: string, context: string, plaintext: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", keyOf(token, context), iv);
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64url");
}

/** The plaintext, or null when `token` or `context` is not the one it was sealed with (or it was altered). */
export function openWithToken(token: string, context: string, sealed: string): string | null {
  const raw = Buffer.from(sealed, "base64url");
  if (raw.length < IV_BYTES + TAG_BYTES) return null;
  try {
    const decipher = createDecipheriv("aes-256-gcm", keyOf(token, context), raw.subarray(0, IV_BYTES));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString("utf8");
  } catch {
    return null; // GCM authentication failed
  }
}
