// TOTP (RFC 6238) with the otpauth library: 160-bit secrets (RFC 4226 §4 R6 recommends 160 bits),
// SHA-1, 6 digits, 30-second steps (RFC 6238 §5.2; what every authenticator app expects), and a
// window of one step either side for clock drift (RFC 6238 §5.2, §6). A code is good once: the
// caller records the step it matched and refuses any step not greater than the last one
// (lib/db/mfa.ts acceptTotpStep), so a code cannot be replayed inside its window.
import { Secret, TOTP } from "otpauth";
import { openAtRest, sealAtRest } from "../crypto/at-rest";

export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** Steps accepted either side of now (RFC 6238 §5.2: at most one step of network delay/drift). */
export const TOTP_WINDOW = 1;
const ISSUER = "Latchkey";
const PURPOSE = "latchkey totp secret v1";

/** A new shared secret, base32 (RFC 4648), 160 random bits. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

function totp(secretBase32: string, label = "account"): TOTP {
  return new TOTP({ issuer: ISSUER, label, algorithm: "SHA1", digits: TOTP_DIGITS, period: TOTP_PERIOD_SECONDS, secret: Secret.fromBase32(secretBase32) });
}

/** The otpauth:// URI an authenticator app reads from the QR code (Key Uri Format). */
export function totpUri(secretBase32: string, email: string): string {
  return totp(secretBase32, email).toString();
}

/** The manual key, in groups of four for reading. */
export const formatManualKey = (secretBase32: string) => secretBase32.replace(/(.{4})/g, "$1 ").trim();

/** A code as typed (spaces, dashes allowed), or null when it is not six digits. */
export function normalizeTotpCode(input: unknown): string | null {
  if (typeof input !== "string") return null;
  const code = input.replace(/[\s-]/g, "");
  return /^\d{6}$/.test(code) ? code : null;
}

/** The time step of `now` (RFC 6238 §4.2: T = floor((now - T0) / X), T0 = 0). */
export const stepAt = (now: Date) => Math.floor(now.getTime() / 1000 / TOTP_PERIOD_SECONDS);

/**
 * The time step the code matches within the window around `now`, or null. otpauth compares in
 * constant time; the caller must still accept the step only once (greater than the last used).
 */
export function matchTotpStep(secretBase32: string, code: string, now = new Date()): number | null {
  const delta = totp(secretBase32).validate({ token: code, timestamp: now.getTime(), window: TOTP_WINDOW });
  return delta === null ? null : stepAt(now) + delta;
}

/** The code for a step (tests, and nothing else that ships, would need it). */
export const totpCodeAt = (secretBase32: string, now: Date) => totp(secretBase32).generate({ timestamp: now.getTime() });

/** The secret as stored: AES-256-GCM under a key derived from the app secret, bound to the user. */
export const sealTotpSecret = (secretBase32: string, appSecret: string, userId: string) => sealAtRest(secretBase32, appSecret, PURPOSE, `totp:${userId}`);
export const openTotpSecret = (sealed: string, appSecret: string, userId: string) => openAtRest(sealed, appSecret, PURPOSE, `totp:${userId}`);
