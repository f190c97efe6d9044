// The challenge of a WebAuthn ceremony between its two requests (options, then the browser's
// answer), kept in the browser instead of the database, so that asking for options, which anyone
// may do, writes nothing: an httpOnly cookie ENCRYPTED and integrity-protected (JWE, dir +
// A256GCM) under a key derived from the app secret by HKDF (RFC 5869) with its own label, holding
// the challenge, the ceremony it is for (register | authenticate), the user it is bound to when
// there is one, and a 5-minute expiry checked inside the token too. The browser can neither read
// nor change it. Cleared when answered; a captured cookie sent again is caught by the used-
// challenge store (lib/db/used-challenges.ts).
import { hkdfSync } from "node:crypto";
import { EncryptJWT, jwtDecrypt } from "jose";
import { z } from "zod";

export const CHALLENGE_COOKIE = "latchkey-webauthn";
/** W3C WebAuthn Level 3 §15.1 recommends 300 s for a ceremony that asks for user verification. */
export const CHALLENGE_TTL_SECONDS = 300;

const HKDF_INFO = "latchkey webauthn challenge v1";

export const CEREMONIES = ["register", "authenticate"] as const;
export type Ceremony = (typeof CEREMONIES)[number];

const payloadSchema = z.object({
  challenge: z.string().min(16).max(256),
  purpose: z.enum(CEREMONIES),
  /** The user the ceremony is for (registration, second factor, step-up); absent for a usernameless sign-in. */
  userId: z.string().min(1).optional(),
  exp: z.number(),
});

export interface OpenedChallenge {
  challenge: string;
  purpose: Ceremony;
  userId?: string;
  expiresAt: Date;
}

const keyOf = (secret: string) => new Uint8Array(hkdfSync("sha256", secret, new Uint8Array(0), HKDF_INFO, 32));

export async function sealChallenge(
  c: { challenge: string; purpose: Ceremony; userId?: string },
  secret: string,
  now = new Date(),
): Promise<string> {
  const iat = Math.floor(now.getTime() / 1000);
  return new EncryptJWT({ challenge: c.challenge, purpose: c.purpose, ...(c.userId ? { userId: c.userId } : {}) })
    .setProtectedHeader({ alg: "dir", enc: "A256GCM" })
    .setIssuedAt(iat)
    .setExpirationTime(iat + CHALLENGE_TTL_SECONDS)
    .encrypt(keyOf(secret));
}

/**
 * The challenge, or null when the cookie is missing, tampered with, under another key, expired,
 * for another ceremony, or bound to another user than `expect.userId` (when given; a cookie bound
 * to a user never serves a usernameless sign-in either).
 */
export async function openChallenge(
  cookie: string | undefined,
  secret: string,
  expect: { purpose: Ceremony; userId?: string },
  now = new Date(),
): Promise<OpenedChallenge | null> {
  if (!cookie) return null;
  try {
    const { payload } = await jwtDecrypt(cookie, keyOf(secret), {
      currentDate: now,
      keyManagementAlgorithms: ["dir"],
      contentEncryptionAlgorithms: ["A256GCM"],
    });
    const p = payloadSchema.safeParse(payload);
    if (!p.success || p.data.purpose !== expect.purpose || p.data.userId !== expect.userId) return null;
    return { challenge: p.data.challenge, purpose: p.data.purpose, userId: p.data.userId, expiresAt: new Date(p.data.exp * 1000) };
  } catch {
    return null;
  }
}

/** The cookie's attributes (the shape of `cookies().set(name, value, options)`). */
export function challengeCookieOptions(secure: boolean) {
  // SameSite=Strict: both requests of a ceremony come from our own pages.
  return { httpOnly: true, sameSite: "strict", path: "/", secure, maxAge: CHALLENGE_TTL_SECONDS } as const;
}
