// What an admin sends by email: an invitation (a new account with no password, and a link to
// choose one), and a reset link when they force a password reset. With mail off (the outbox only),
// the link is handed back to show to the admin once, to pass on by other means.
import { z } from "zod";
import type { Stores } from "../db";
import type { EmailLinkConfig } from "../config";
import { EmailTaken } from "../db/users";
import { inviteMail, passwordResetMail } from "../mail/templates";
import { ROLES, type Role } from "./roles";
import { NO_PASSWORD } from "./password";
import { signUpSchema } from "./sign-up";
import { sendLink, type MailLinkDeps } from "./mail-links";

export type AdminMailDeps = MailLinkDeps & { ttl: Pick<EmailLinkConfig, "resetSeconds" | "inviteSeconds"> };

/** Sent: `link` only when mail is off (outbox), to show the admin once. Not sent: the link was voided. */
export type AdminMailResult = { sent: true; link?: string } | { sent: false };

export async function sendInvite(d: AdminMailDeps, user: { id: string; email: string; name: string | null }, ip: string | null): Promise<AdminMailResult> {
  const r = await sendLink(d, {
    userId: user.id,
    purpose: "invite",
    email: user.email,
    ttlSeconds: d.ttl.inviteSeconds,
    ip,
    build: (link) => inviteMail({ issuer: d.issuer, to: user.email, link, ttlSeconds: d.ttl.inviteSeconds, name: user.name }),
  });
  return r.ok ? { sent: true, ...(d.mailer.mode === "outbox" ? { link: r.link } : {}) } : { sent: false };
}

export async function sendAdminReset(d: AdminMailDeps, user: { id: string; email: string }, ip: string | null): Promise<AdminMailResult> {
  const r = await sendLink(d, {
    userId: user.id,
    purpose: "reset",
    email: user.email,
    ttlSeconds: d.ttl.resetSeconds,
    ip,
    build: (link) => passwordResetMail({ issuer: d.issuer, to: user.email, link, ttlSeconds: d.ttl.resetSeconds, byAdmin: true }),
  });
  return r.ok ? { sent: true, ...(d.mailer.mode === "outbox" ? { link: r.link } : {}) } : { sent: false };
}

export const inviteSchema = z.object({
  email: signUpSchema.shape.email,
  name: z.union([z.literal(""), signUpSchema.shape.name]).transform((n) => n || null),
  role: z.enum(ROLES as [Role, ...Role[]], { error: "Choose user, developer or admin." }),
});

export type InviteFieldErrors = Partial<Record<"email" | "name" | "role", string>>;
export type InviteResult = { ok: true; userId: string; mail: AdminMailResult } | { ok: false; fieldErrors: InviteFieldErrors };

/**
 * Creates the account (no usable password: lib/auth/password.ts NO_PASSWORD; the address not yet
 * verified) and mails the invitation. The account stays when the mail fails: the admin sees so
 * and can send the invitation again from the user's page.
 */
export async function inviteUser(
  d: AdminMailDeps & { users: Pick<Stores["users"], "create"> },
  actor: { id: string; ip: string | null },
  input: unknown,
): Promise<InviteResult> {
  const parsed = inviteSchema.safeParse(input);
  if (!parsed.success) {
    const fieldErrors: InviteFieldErrors = {};
    for (const issue of parsed.error.issues) {
      const key = issue.path[0] as keyof InviteFieldErrors;
      fieldErrors[key] ??= issue.message;
    }
    return { ok: false, fieldErrors };
  }
  const { email, name, role } = parsed.data;
  let user: { id: string; email: string; name: string | null };
  try {
    user = await d.users.create({ email, name, role, passwordHash: NO_PASSWORD }, { actorId: actor.id, ip: actor.ip });
  } catch (err) {
    if (err instanceof EmailTaken) return { ok: false, fieldErrors: { email: "An account with this email already exists." } };
    throw err;
  }
  await d.audit.record({ type: "user.invited", actorId: actor.id, subjectId: user.id, ip: actor.ip, data: { role } });
  return { ok: true, userId: user.id, mail: await sendInvite(d, user, actor.ip) };
}
