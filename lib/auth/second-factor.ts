// Checking a second factor (a TOTP code or a recovery code), at sign-in and at step-up.
//
// Count first, then check (DESIGN.md; OWASP Authentication Cheat Sheet): every attempt is
// counted before the code is looked at, on two counters:
//   - the pending sign-in's own (lib/db/mfa.ts countPendingAttempt): its MAX_CODES_PER_PENDING-th
//     wrong code ends it, and the password must be typed again;
//   - the account's (LoginThrottle key `mfa:<userId>`, the sign-in throttle's account policy:
//     doubling delays, then a lock); a correct code clears it. Step-up has only this one.
// A six-digit code has 10^6 values: with ±1 step, each guess has ~3·10^-6 odds; the counters
// bound the guesses an attacker with the password gets.
import type { Stores } from "../db";
import { mfaThrottleKey } from "../db/throttle";
import { AMR } from "../oauth/amr";
import { normalizeRecoveryCode, recoveryCodeHash } from "./recovery-codes";
import { matchTotpStep, normalizeTotpCode, openTotpSecret } from "./totp";

/** Wrong codes one pending sign-in may take; the next attempt ends it. */
export const MAX_CODES_PER_PENDING = 5;

export type SecondFactorMethod = "totp" | "recovery";

export type SecondFactorResult =
  | { ok: true; amr: string[]; method: SecondFactorMethod }
  /** "invalid": wrong, replayed or malformed; "expired": the pending sign-in has had its attempts. */
  | { ok: false; error: "invalid" | "expired" }
  | { ok: false; error: "locked" | "wait"; retryAfterSeconds: number };

/** The amr after a one-time code (RFC 8176 `otp`; `mfa` since it follows another factor); a recovery code counts as one (lib/oauth/amr.ts). */
export function amrWithOtp(first: readonly string[]): string[] {
  const out = first.filter((v) => v !== AMR.mfa && v !== AMR.otp);
  return [...out, AMR.otp, AMR.mfa];
}

export interface SecondFactorInput {
  userId: string;
  method: SecondFactorMethod;
  code: unknown;
  /** The amr so far (the password's, or the session's at step-up). */
  amr: readonly string[];
  ip: string | null;
  appSecret: string;
  /** The pending sign-in (its own attempt counter); absent at step-up. */
  pending?: { id: string; expiresAt: Date };
  now?: Date;
}

export async function verifySecondFactor(
  s: Pick<Stores, "mfa" | "throttle" | "audit">,
  input: SecondFactorInput,
): Promise<SecondFactorResult> {
  const now = input.now ?? new Date();
  const { userId, ip, method } = input;
  if (input.pending) {
    const n = await s.mfa.countPendingAttempt(input.pending.id, input.pending.expiresAt, now);
    if (n > MAX_CODES_PER_PENDING) {
      await s.audit.record({ type: "mfa.throttled", subjectId: userId, ip, data: { method, reason: "pending_attempts" } });
      return { ok: false, error: "expired" };
    }
  }
  const keys = [mfaThrottleKey(userId)];
  const gate = await s.throttle.check(keys, now);
  const counted = gate.ok ? await s.throttle.count(keys, now) : gate;
  if (!counted.ok) {
    await s.audit.record({ type: "mfa.throttled", subjectId: userId, ip, data: { method, reason: counted.reason } });
    return { ok: false, error: counted.reason, retryAfterSeconds: counted.retryAfterSeconds };
  }
  const why = method === "totp" ? await checkTotp(s, input, now) : await checkRecoveryCode(s, input);
  if (why !== "ok") {
    await s.audit.record({ type: "mfa.failed", subjectId: userId, ip, data: { method, reason: why } });
    const after = await s.throttle.isLocked(keys, now);
    if (!after.ok) return { ok: false, error: "locked", retryAfterSeconds: after.retryAfterSeconds };
    return { ok: false, error: "invalid" };
  }
  await s.throttle.succeeded(keys);
  await s.audit.record({
    type: method === "totp" ? "mfa.used" : "mfa.recovery_code_used",
    actorId: userId,
    subjectId: userId,
    ip,
    ...(method === "recovery" ? { data: { left: (await s.mfa.factors(userId)).recoveryCodesLeft } } : { data: { method } }),
  });
  return { ok: true, amr: amrWithOtp(input.amr), method };
}

async function checkTotp(s: Pick<Stores, "mfa">, input: SecondFactorInput, now: Date): Promise<"ok" | "malformed" | "no_totp" | "wrong" | "replayed"> {
  const code = normalizeTotpCode(input.code);
  if (!code) return "malformed";
  const stored = await s.mfa.totpSecret(input.userId);
  const secret = stored?.enabled ? openTotpSecret(stored.sealed, input.appSecret, input.userId) : null;
  if (!secret) return "no_totp";
  const step = matchTotpStep(secret, code, now);
  if (step === null) return "wrong";
  // RFC 6238 §5.2: a code is accepted once; the step must be later than the last accepted one.
  return (await s.mfa.acceptTotpStep(input.userId, step)) ? "ok" : "replayed";
}

async function checkRecoveryCode(s: Pick<Stores, "mfa">, input: SecondFactorInput): Promise<"ok" | "malformed" | "wrong"> {
  const code = normalizeRecoveryCode(input.code);
  if (!code) return "malformed";
  return (await s.mfa.consumeRecoveryCode(input.userId, recoveryCodeHash(code))) ? "ok" : "wrong";
}
