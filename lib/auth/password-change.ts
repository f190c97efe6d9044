// Changing one's own password: the current password first (throttled like sign-in, and each
// wrong one audited), then a new one under the sign-up rules. Success ends every other portal
// session, clears an admin's "must reset" flag and, unless the user ticks "Keep my connected
// apps signed in", revokes every app's tokens and consent (lib/db/account.ts changePassword).
import { z } from "zod";
import type { Stores } from "../db";
import type { AccountStore } from "../db/account";
import { hashPassword, verifyPassword } from "./password";
import { signUpSchema } from "./sign-up";

export const passwordChangeSchema = z.object({
  currentPassword: z.string().min(1, "Enter your current password").max(1024, "Enter your current password"),
  // The same rules as sign-up.
  newPassword: signUpSchema.shape.password,
  // "Keep my connected apps signed in": only the checkbox's own value keeps them; anything else
  // (unchecked, missing, malformed) signs them out, the safe default.
  keepApps: z.unknown().optional().transform((v) => v === "yes"),
});

export type PasswordChangeFieldErrors = Partial<Record<keyof z.infer<typeof passwordChangeSchema>, string>>;

export type PasswordChangeResult =
  | { ok: true; otherSessionsEnded: number; appsSignedOut: number }
  | { ok: false; fieldErrors?: PasswordChangeFieldErrors; formError?: string };

export interface PasswordChangeDeps {
  users: Pick<Stores["users"], "findById">;
  throttle: Pick<Stores["throttle"], "check" | "count" | "succeeded">;
  audit: Stores["audit"];
  account: Pick<AccountStore, "changePassword">;
}

/**
 * Wrong current passwords count against their own throttle key (per user, with sign-in's
 * account policy: a growing delay, then a lock), so that a borrowed session cannot be used to
 * guess the password at speed; they do not lock the user's sign-in.
 */
export function passwordChangeThrottleKey(userId: string) {
  return [{ key: `password-change:${userId}`, kind: "account" as const }];
}

function minutes(seconds: number): string {
  const m = Math.ceil(seconds / 60);
  return seconds < 60 ? `${seconds} seconds` : `${m} minute${m === 1 ? "" : "s"}`;
}

export const WRONG_PASSWORD = "That is not your current password.";

type VerifyDeps = Pick<PasswordChangeDeps, "users" | "throttle" | "audit">;

/**
 * Re-authentication of a signed-in user (before a password or email change): throttled per
 * user, each wrong password audited as `user.password_change_failed` (or `user.reauth_failed`
 * for other purposes). A right one clears the counter.
 */
export async function verifyCurrentPassword(
  d: VerifyDeps,
  caller: { userId: string; ip: string | null },
  password: string,
  purpose: "password_change" | "reauth" = "password_change",
) {
  const keys = passwordChangeThrottleKey(caller.userId);
  const gate = await d.throttle.check(keys);
  if (!gate.ok) {
    await d.audit.record({ type: `user.${purpose}_throttled`, actorId: caller.userId, subjectId: caller.userId, ip: caller.ip });
    return { ok: false as const, error: "throttled" as const, message: `Too many wrong passwords. Try again in ${minutes(gate.retryAfterSeconds)}.` };
  }
  // Counted before the password is verified (as sign-in does), so parallel guesses cannot outrun the lock.
  const counted = await d.throttle.count(keys);
  if (!counted.ok) {
    await d.audit.record({ type: `user.${purpose}_throttled`, actorId: caller.userId, subjectId: caller.userId, ip: caller.ip });
    return { ok: false as const, error: "throttled" as const, message: `Too many wrong passwords. Try again in ${minutes(counted.retryAfterSeconds)}.` };
  }
  const user = await d.users.findById(caller.userId);
  if (!user) return { ok: false as const, error: "gone" as const, message: "Your account could not be found." };
  if (!(await verifyPassword(user.passwordHash, password))) {
    await d.audit.record({ type: `user.${purpose}_failed`, actorId: user.id, subjectId: user.id, ip: caller.ip });
    return { ok: false as const, error: "wrong" as const };
  }
  await d.throttle.succeeded(keys);
  return { ok: true as const, user };
}

export async function changeOwnPassword(
  d: PasswordChangeDeps,
  caller: { userId: string; sessionId: string; ip: string | null },
  input: unknown,
): Promise<PasswordChangeResult> {
  const parsed = passwordChangeSchema.safeParse(input);
  if (!parsed.success) {
    const fieldErrors: PasswordChangeFieldErrors = {};
    for (const issue of parsed.error.issues) {
      const key = issue.path[0] as keyof PasswordChangeFieldErrors;
      fieldErrors[key] ??= issue.message;
    }
    return { ok: false, fieldErrors };
  }
  const { currentPassword, newPassword, keepApps } = parsed.data;
  const check = await verifyCurrentPassword(d, caller, currentPassword);
  if (!check.ok) {
    return check.error === "wrong" ? { ok: false, fieldErrors: { currentPassword: WRONG_PASSWORD } } : { ok: false, formError: check.message };
  }
  const user = check.user;
  if (newPassword === currentPassword) {
    return { ok: false, fieldErrors: { newPassword: "Choose a password different from your current one." } };
  }
  const { otherSessionsEnded, revoked } = await d.account.changePassword(
    user.id,
    caller.sessionId,
    await hashPassword(newPassword),
    { ip: caller.ip },
    { keepApps },
  );
  return { ok: true, otherSessionsEnded, appsSignedOut: revoked?.consents ?? 0 };
}
