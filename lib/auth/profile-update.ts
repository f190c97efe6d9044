// Editing one's own profile: the name freely; the email (what the user signs in with) only
// after re-entering the current password, and never onto another account's address.
import { z } from "zod";
import type { AccountStore } from "../db/account";
import { EmailTaken } from "../db/users";
import { signUpSchema } from "./sign-up";
import { verifyCurrentPassword, WRONG_PASSWORD, type PasswordChangeDeps } from "./password-change";

export const profileSchema = signUpSchema.pick({ name: true, email: true }).extend({
  currentPassword: z.string().max(1024).optional(),
});

export type ProfileFieldErrors = Partial<Record<keyof z.infer<typeof profileSchema>, string>>;

export type ProfileResult = { ok: true; changed: string[] } | { ok: false; fieldErrors?: ProfileFieldErrors; formError?: string };

export type ProfileDeps = Pick<PasswordChangeDeps, "users" | "throttle" | "audit"> & { account: Pick<AccountStore, "updateProfile"> };

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
  if (email !== user.email) {
    if (!currentPassword) return { ok: false, fieldErrors: { currentPassword: "Enter your current password to change your email" } };
    const check = await verifyCurrentPassword(d, caller, currentPassword, "reauth");
    if (!check.ok) {
      return check.error === "wrong" ? { ok: false, fieldErrors: { currentPassword: WRONG_PASSWORD } } : { ok: false, formError: check.message };
    }
  }
  try {
    return { ok: true, changed: await d.account.updateProfile(user.id, { name, email }, { ip: caller.ip }) };
  } catch (err) {
    if (err instanceof EmailTaken) return { ok: false, fieldErrors: { email: "Another account already uses this email." } };
    throw err;
  }
}
