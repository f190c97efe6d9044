// Deleting one's own account: the question must have been answered yes (confirmed=yes, so the
// step cannot be skipped, with or without JavaScript), the caller proves again that they are the
// account's owner, then lib/db/account-deletion.ts removes everything in one transaction.
//
// The proof is pluggable: a DeletionCheck reads what the confirmation form posted and says yes
// or no. The password check is the first (throttled per user like sign-in, counted before the
// password is verified, each wrong one audited: lib/auth/password-change.ts); the other is a
// passkey used on this very session moments ago (passkeyOrPasswordCheck).
import type { Stores } from "../db";
import type { DeletionReport } from "../db/account-deletion";
import { LastAdmin } from "../db/account-deletion";
import { confirmation } from "../http/action-args";
import { AMR } from "../oauth/amr";
import { verifyCurrentPassword, WRONG_PASSWORD } from "./password-change";

export interface DeletionCaller {
  userId: string;
  ip: string | null;
}

type FormLike = { get(name: string): unknown };

export type DeletionFieldErrors = { password?: string };

export type DeletionCheckResult = { ok: true } | { ok: false; fieldErrors?: DeletionFieldErrors; formError?: string };

/** Proves, from what the confirmation form posted, that the caller is the account's owner. */
export type DeletionCheck = (caller: DeletionCaller, form: FormLike) => Promise<DeletionCheckResult>;

export type DeleteAccountResult =
  | { ok: true; report: DeletionReport }
  | { ok: false; cancelled: true }
  | { ok: false; cancelled?: false; fieldErrors?: DeletionFieldErrors; formError?: string };

/** The current password, in the form's `password` field. */
export function passwordCheck(d: Pick<Stores, "users" | "throttle" | "audit">): DeletionCheck {
  return async (caller, form) => {
    const password = form.get("password");
    if (typeof password !== "string" || password.length === 0 || password.length > 1024) {
      return { ok: false, fieldErrors: { password: "Enter your password." } };
    }
    const check = await verifyCurrentPassword(d, caller, password, "reauth");
    if (check.ok) return { ok: true };
    return check.error === "wrong" ? { ok: false, fieldErrors: { password: WRONG_PASSWORD } } : { ok: false, formError: check.message };
  };
}

/** How recent a passkey on the session must be to stand in for the password ("sudo mode"). */
export const PASSKEY_PROOF_SECONDS = 300;

/**
 * Whether the session was authenticated with a passkey within PASSKEY_PROOF_SECONDS: the delete
 * page's "Use a passkey" steps the session up (amr gains `hwk`, auth_time becomes now), as does a
 * passkey sign-in.
 */
export function recentPasskey(session: { amr: readonly string[]; authTime: Date }, now = new Date()): boolean {
  const age = now.getTime() - session.authTime.getTime();
  return session.amr.includes(AMR.hwk) && age >= 0 && age <= PASSKEY_PROOF_SECONDS * 1000;
}

export const PASSKEY_PROOF_EXPIRED = "Your passkey confirmation has expired. Use your passkey again, or enter your password.";

/**
 * The form's choice: `proof=passkey` is accepted only while the session's passkey is recent (read
 * from the session row, never from the form); anything else is the password check.
 */
export function passkeyOrPasswordCheck(d: Pick<Stores, "users" | "throttle" | "audit">, session: { amr: readonly string[]; authTime: Date }, now?: Date): DeletionCheck {
  const byPassword = passwordCheck(d);
  return async (caller, form) => {
    if (form.get("proof") !== "passkey") return byPassword(caller, form);
    return recentPasskey(session, now) ? { ok: true } : { ok: false, formError: PASSKEY_PROOF_EXPIRED };
  };
}

export const NOT_CONFIRMED = "Confirm that you want to delete your account.";

export async function deleteOwnAccount(
  d: Pick<Stores, "accountDeletion">,
  caller: DeletionCaller,
  form: FormLike,
  check: DeletionCheck,
): Promise<DeleteAccountResult> {
  const answer = confirmation(form);
  if (answer === "no") return { ok: false, cancelled: true };
  if (answer === "ask") return { ok: false, formError: NOT_CONFIRMED };
  const proof = await check(caller, form);
  if (!proof.ok) return { ok: false, fieldErrors: proof.fieldErrors, formError: proof.formError };
  try {
    const report = await d.accountDeletion.remove(caller.userId, { ip: caller.ip });
    if (!report) return { ok: false, formError: "Your account could not be found." };
    return { ok: true, report };
  } catch (err) {
    if (err instanceof LastAdmin) return { ok: false, formError: err.message };
    throw err;
  }
}
