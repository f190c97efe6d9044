// Forgot password (OWASP Forgot Password Cheat Sheet): asking for a link always gets the same
// answer, whether the address has an account or not, and whatever the throttles said (the action
// answers before this runs: app/forgot-password/actions.ts); the link is single-use, short-lived
// (PASSWORD_RESET_TTL_SECONDS), stored hashed and bound to the account (lib/db/email-tokens.ts).
// Setting the new password ends every session and revokes every token (lib/db/recovery.ts).
import { z } from "zod";
import type { Stores } from "../db";
import type { EmailLinkConfig } from "../config";
import type { PasswordLinkPurpose } from "../db/recovery";
import { passwordResetMail } from "../mail/templates";
import { hashPassword } from "./password";
import { signUpSchema } from "./sign-up";
import { sendLink, type MailLinkDeps } from "./mail-links";

export const forgotPasswordSchema = z.object({ email: signUpSchema.shape.email });

export type ResetRequestDeps = MailLinkDeps & {
  users: Pick<Stores["users"], "findByEmail">;
  emailLinkLimits: Stores["emailLinkLimits"];
  ttl: Pick<EmailLinkConfig, "resetSeconds">;
};

/**
 * Counts the request (per caller address, per address typed, per account: lib/db/throttle.ts
 * emailLinkLimitStore), then mails a reset link if an enabled account has that address. Returns
 * what happened, for tests and the audit trail only: the caller shows the same page every time.
 */
export async function requestPasswordReset(
  d: ResetRequestDeps,
  input: { email: string; ip: string | null },
): Promise<"sent" | "no_account" | "throttled" | "mail_failed"> {
  const email = input.email.trim().toLowerCase();
  const user = await d.users.findByEmail(email);
  const counted = await d.emailLinkLimits.count({ ip: input.ip, email, userId: user?.id ?? null });
  if (!counted.ok) {
    await d.audit.record({ type: "password.reset_throttled", subjectId: user?.id ?? null, ip: input.ip, data: { limit: counted.limit } });
    return "throttled";
  }
  if (!user || user.disabled) return "no_account";
  const sent = await sendLink(d, {
    userId: user.id,
    purpose: "reset",
    email: user.email,
    ttlSeconds: d.ttl.resetSeconds,
    ip: input.ip,
    build: (link) => passwordResetMail({ issuer: d.issuer, to: user.email, link, ttlSeconds: d.ttl.resetSeconds }),
  });
  if (!sent.ok) return "mail_failed";
  await d.audit.record({ type: "password.reset_requested", subjectId: user.id, ip: input.ip });
  return "sent";
}

export const setPasswordSchema = z
  .object({
    token: z.string().min(1).max(128),
    password: signUpSchema.shape.password,
    confirm: z.string().max(1024),
  })
  .refine((v) => v.password === v.confirm, { path: ["confirm"], message: "The two passwords are not the same" });

export type SetPasswordFieldErrors = Partial<Record<"password" | "confirm", string>>;

export type SetPasswordResult =
  | { ok: true; purpose: PasswordLinkPurpose; email: string }
  | { ok: false; fieldErrors: SetPasswordFieldErrors }
  | { ok: false; badLink: true };

export type SetPasswordDeps = {
  emailTokens: Pick<Stores["emailTokens"], "peek">;
  recovery: Stores["recovery"];
};

/** The reset or invitation link's form: two equal passwords under the sign-up rules, then the link is used. */
export async function setPasswordWithLink(d: SetPasswordDeps, input: unknown, ip: string | null): Promise<SetPasswordResult> {
  const parsed = setPasswordSchema.safeParse(input);
  if (!parsed.success) {
    const fieldErrors: SetPasswordFieldErrors = {};
    for (const issue of parsed.error.issues) {
      const key = issue.path[0];
      if (key === "token") return { ok: false, badLink: true };
      if (key === "password" || key === "confirm") fieldErrors[key] ??= issue.message;
    }
    return { ok: false, fieldErrors };
  }
  const purposes: PasswordLinkPurpose[] = ["reset", "invite"];
  // A dead link costs no password hash (argon2 is the expensive part).
  if (!(await d.emailTokens.peek(parsed.data.token, purposes))) return { ok: false, badLink: true };
  const used = await d.recovery.setPasswordWithLink(parsed.data.token, purposes, await hashPassword(parsed.data.password), { ip });
  if (!used) return { ok: false, badLink: true };
  return { ok: true, purpose: used.purpose, email: used.email };
}
