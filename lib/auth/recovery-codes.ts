// Recovery codes: ten one-time codes for when the authenticator is lost. Each has 60 random bits
// (12 characters of Crockford's base32), written xxxx-xxxx-xxxx; stored as SHA-256 of the
// normalized code (high entropy, so no password hash is needed; lib/crypto/tokens.ts), each good
// once (lib/db/mfa.ts consumeRecoveryCode: one atomic UPDATE … WHERE usedAt IS NULL).
import { randomInt } from "node:crypto";
import { sha256 } from "../crypto/tokens";

export const RECOVERY_CODE_COUNT = 10;
/** Fewer left than this: the security page and the sign-in warn the user to make new ones. */
export const RECOVERY_CODES_LOW = 3;
const LENGTH = 12;
// Crockford's base32: no I, L, O, U, so that nothing reads as another character.
const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";

export function newRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  return Array.from({ length: count }, () => {
    let raw = "";
    for (let i = 0; i < LENGTH; i++) raw += ALPHABET[randomInt(ALPHABET.length)];
    return `${raw.slice(0, 4)}-${raw.slice(4, 8)}-${raw.slice(8)}`;
  });
}

/**
 * The code as typed, normalized: lower case, without spaces or dashes, and the letters Crockford's
 * base32 reads as digits (o → 0, i and l → 1); null when it cannot be a recovery code.
 */
export function normalizeRecoveryCode(input: unknown): string | null {
  if (typeof input !== "string" || input.length > 64) return null;
  const code = input.toLowerCase().replace(/[\s-]/g, "").replace(/o/g, "0").replace(/[il]/g, "1");
  return code.length === LENGTH && [...code].every((c) => ALPHABET.includes(c)) ? code : null;
}

/** The stored hash of a (normalized) code. */
export const recoveryCodeHash = (normalized: string) => sha256(`recovery:${normalized}`);
