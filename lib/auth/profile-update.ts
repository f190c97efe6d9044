// Editing one's own profile: the name freely; the email (what the user signs in with) only
// after re-entering the current password, never onto another account's address, and only once
// the new address proves it reads mail: a link goes there, and the change applies when it is used
// (lib/db/email-verification.ts), when the old address is told.
import { z } from "zod";
import type { Stores } from "../db";
import type { AccountStore } from "../db/account";
import { EmailTaken } from "../db/users";
import { signUpSchema } from "./sign-up";
import { verifyCurrentPassword, WRONG_PASSWORD, type PasswordChangeDeps } from "./password-change";
import { sendEmailChange, type VerificationDeps } from "./email-verification";
import { MAIL_FAILED_MESSAGE } from "../mail/mailer";

export const profileSchema = signUpSchema.pick({ name: true, email: true }).extend({
  currentPassword: z.string().max(1024).optional(),
});

export type ProfileFieldErrors = Partial<Record<keyof z.infer<typeof profileSchema>, string>>;

/** `emailPending`: a link went to the new address; the email changes when it is used. */
export type ProfileResult = { ok: true; changed: string[]; emailPending?: boolean } | { ok: false; fieldErrors?: ProfileFieldErrors; formError?: string };

export type ProfileDeps = Pick<PasswordChangeDeps, "users" | "throttle" | "audit"> & {
  users: Pick<PasswordChangeDeps["users"] & Stores["users"], "findById" | "findByEmail">;
  account: Pick<AccountStore, "updateProfile">;
} & VerificationDeps;

export async function updateOwnProfile(d: ProfileDeps, caller: { userId: string; ip: string | null }, input: unknown): Promise<ProfileResult> {
  const parsed = profileSchema.safeParse(input);
  if (!parsed.success) {
    const fieldErrors: ProfileFieldErrors = {};
    for (const issue of parsed.error.issues) {
      const key = issue.path[0] as keyof ProfileFieldErrors;
      fieldErrors[key] ??= issue.message;
    }
    return { ok: false, fieldErrors };
  }
  const { name, email, currentPassword } = parsed.data;
  const user = await d.users.findById(caller.userId);
  if (!user) return { ok: false, formError: "Your account could not be found." };
  const newEmail = email !== user.email;
  if (newEmail) {
    if (!currentPassword) return { ok: false, fieldErrors: { currentPassword: "Enter your current password to change your email" } };
    const check = await verifyCurrentPassword(d, caller, currentPassword, "reauth");
    if (!check.ok) {
      return check.error === "wrong" ? { ok: false, fieldErrors: { currentPassword: WRONG_PASSWORD } } : { ok: false, formError: check.message };
    }
    if (await d.users.findByEmail(email)) return { ok: false, fieldErrors: { email: TAKEN } };
    // The link first: if it cannot be mailed, nothing changes at all.
    if (!(await sendEmailChange(d, user, email, caller.ip)).ok) return { ok: false, formError: MAIL_FAILED_MESSAGE };
  }
  try {
    // The name now; the address only when the link is used.
    const changed = await d.account.updateProfile(user.id, { name, email: user.email }, { ip: caller.ip });
    return newEmail ? { ok: true, changed, emailPending: true } : { ok: true, changed };
  } catch (err) {
    if (err instanceof EmailTaken) return { ok: false, fieldErrors: { email: TAKEN } };
    throw err;
  }
}

const TAKEN = "Another account already uses this email.";
