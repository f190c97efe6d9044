// A sign-in that has passed its first factor (a password) and waits for the second: no session
// yet, only this state, in a short-lived cookie of this browser. Encrypted and integrity-protected
// (JWE, dir + A256GCM, RFC 7516, under a key derived from the app secret with HKDF), so the browser
// can neither read nor change it; it expires after PENDING_SIGN_IN_SECONDS. Pure: the cookie is set
// and read by app/signin/pending.ts.
import { hkdfSync } from "node:crypto";
import { EncryptJWT, jwtDecrypt } from "jose";
import { randomToken } from "../crypto/tokens";

/** How long the second-factor step may take (the password must be typed again after). */
export const PENDING_SIGN_IN_SECONDS = 5 * 60;
export const PENDING_COOKIE = "latchkey-pending-signin";
export const SECURE_PENDING_COOKIE = "__Secure-latchkey-pending-signin";
/** The cookie is sent only to the sign-in pages (its actions post there). */
export const PENDING_COOKIE_PATH = "/signin";

export interface PendingSignIn {
  /** Random: names this attempt's counter of wrong codes (lib/auth/second-factor.ts). */
  id: string;
  userId: string;
  /** How the user authenticated so far (RFC 8176 values; lib/oauth/amr.ts), e.g. ["pwd"]. */
  amr: string[];
  /** "verify": a factor the user has; "enrol": the MFA policy requires one and the user has none. */
  step: "verify" | "enrol";
  /** Enrolment done (amr now includes the new factor): only "continue" remains. */
  verified: boolean;
  /** Where to go once signed in (already checked by safeCallbackPath). */
  callbackPath: string;
  expiresAt: Date;
}

const key = (secret: string) => new Uint8Array(hkdfSync("sha256", secret, "latchkey", "latchkey pending sign-in v1", 32));

export function newPendingSignIn(
  input: Omit<PendingSignIn, "id" | "expiresAt" | "verified"> & { verified?: boolean },
  now = new Date(),
): PendingSignIn {
  return { ...input, id: randomToken(16), verified: input.verified ?? false, expiresAt: new Date(now.getTime() + PENDING_SIGN_IN_SECONDS * 1000) };
}

export async function sealPendingSignIn(p: PendingSignIn, secret: string): Promise<string> {
  return new EncryptJWT({ amr: p.amr, step: p.step, ok: p.verified, cb: p.callbackPath })
    .setProtectedHeader({ alg: "dir", enc: "A256GCM" })
    .setSubject(p.userId)
    .setJti(p.id)
    .setExpirationTime(Math.floor(p.expiresAt.getTime() / 1000))
    .encrypt(key(secret));
}

/** The pending sign-in a cookie value holds, or null when absent, tampered with, sealed under another secret or expired. */
export async function openPendingSignIn(token: string | null | undefined, secret: string, now = new Date()): Promise<PendingSignIn | null> {
  if (!token || token.length > 4096) return null;
  try {
    const { payload: p } = await jwtDecrypt(token, key(secret), { currentDate: now, contentEncryptionAlgorithms: ["A256GCM"], keyManagementAlgorithms: ["dir"] });
    const amr = Array.isArray(p.amr) && p.amr.every((v) => typeof v === "string") ? (p.amr as string[]) : null;
    if (typeof p.sub !== "string" || typeof p.jti !== "string" || typeof p.exp !== "number" || !amr) return null;
    if (p.step !== "verify" && p.step !== "enrol") return null;
    return {
      id: p.jti,
      userId: p.sub,
      amr,
      step: p.step,
      verified: p.ok === true,
      callbackPath: typeof p.cb === "string" ? p.cb : "/",
      expiresAt: new Date(p.exp * 1000),
    };
  } catch {
    return null;
  }
}
