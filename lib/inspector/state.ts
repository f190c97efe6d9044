// The inspector's state between steps: which client and user, the PKCE verifier, state, nonce,
// the scopes, and later the tokens it obtained. Kept in the browser as an httpOnly cookie,
// ENCRYPTED (JWE, dir + A256GCM) with a key derived from the server secret by HKDF under its own
// info label, and short-lived (10 minutes, checked inside the token too). The browser can
// neither read nor change it; the server keeps nothing. Never holds a client secret.
import { hkdfSync } from "node:crypto";
import { EncryptJWT, jwtDecrypt } from "jose";
import { z } from "zod";

export const STATE_COOKIE = "latchkey_inspector";
/**
 * Path "/", not "/dashboard": the browser reaches the callback through the consent page's
 * server action (POST /consent), and Next renders a same-origin redirect target inside that
 * very request, with the cookies sent to /consent. A /dashboard-scoped cookie is missing
 * there, and the callback would find no run. Still httpOnly, encrypted, bound to the user and
 * 10 minutes short.
 */
export const STATE_COOKIE_PATH = "/";
export const STATE_TTL_SECONDS = 600;

const HKDF_INFO = "latchkey inspector state v1";

const stateSchema = z.object({
  /** The client's row id and the user who started the run: the run is bound to both. */
  clientRowId: z.string().min(1),
  userId: z.string().min(1),
  redirectUri: z.string().min(1),
  scope: z.array(z.string()),
  state: z.string().min(1),
  nonce: z.string().nullable(),
  codeVerifier: z.string().min(43).max(128),
  /** RFC 8707: the API named by the `resource` parameter of step A, if one was chosen. */
  resource: z.string().optional(),
  /** The API the access token is for (the chosen one, else the client's default), and its scopes asked for: the API step. */
  api: z.object({ identifier: z.string(), scopes: z.array(z.string()) }).optional(),
  /** The tokens of the run, once step D succeeded (the developer's own, for their own test). */
  accessToken: z.string().optional(),
  refreshToken: z.string().optional(),
});

export type InspectorState = z.infer<typeof stateSchema>;

export function stateKey(secret: string): Uint8Array {
  return new Uint8Array(hkdfSync("sha256", secret, new Uint8Array(0), HKDF_INFO, 32));
}

export async function sealState(s: InspectorState, secret: string, now = new Date()): Promise<string> {
  const iat = Math.floor(now.getTime() / 1000);
  return new EncryptJWT({ ...s })
    .setProtectedHeader({ alg: "dir", enc: "A256GCM" })
    .setIssuedAt(iat)
    .setExpirationTime(iat + STATE_TTL_SECONDS)
    .encrypt(stateKey(secret));
}

/** The state, or null when the cookie is missing, tampered with, from another key, or expired. */
export async function openState(cookie: string | undefined, secret: string, now = new Date()): Promise<InspectorState | null> {
  if (!cookie) return null;
  try {
    const { payload } = await jwtDecrypt(cookie, stateKey(secret), {
      currentDate: now,
      keyManagementAlgorithms: ["dir"],
      contentEncryptionAlgorithms: ["A256GCM"],
    });
    const parsed = stateSchema.safeParse(payload);
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
