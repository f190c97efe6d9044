"use server";
// Admin actions on users. Public endpoints: each checks the admin role first (404 otherwise),
// then parses its input, then changes the user with its audit event in one transaction.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { ASK, IDLE, type AdminActionState } from "@/components/admin/action-state";
import { data, mailLinkDeps } from "@/lib/runtime";
import { inviteUser, sendAdminReset, sendInvite, type AdminMailResult } from "@/lib/auth/invitations";
import { hasPassword } from "@/lib/auth/password";
import { MAIL_FAILED_MESSAGE } from "@/lib/mail/mailer";
import type { InviteState } from "@/components/admin/invite-form";
import { confirmation, formOrEmpty } from "@/lib/http/action-args";
import { adminActor, attempt, plural, rowId } from "../_lib/actor";

const userForm = z.object({ userId: rowId });

function done(userId: string, message: string): AdminActionState {
  revalidatePath("/admin/users");
  revalidatePath(`/admin/users/${userId}`);
  return { ok: true, message };
}

const accessForm = z.object({ userId: rowId, access: z.enum(["disable", "enable"]) });

/** Disables (ends sessions, revokes every grant) or enables a user; one action, so the form keeps its message. */
export async function setUserAccessAction(_prev: AdminActionState, form: FormData): Promise<AdminActionState> {
  form = formOrEmpty(form); // malformed arguments (a crafted request): an empty form, never a 500
  const actor = await adminActor();
  const parsed = accessForm.safeParse({ userId: form.get("userId"), access: form.get("access") });
  if (!parsed.success) return { ok: false, error: "No user given." };
  const { userId, access } = parsed.data;
  // Your own account is refused below (AdminRefusal) straight away, without asking first.
  if (access === "disable" && userId !== actor.id) {
    const c = confirmation(form);
    if (c === "no") return IDLE;
    if (c === "ask") return ASK;
  }
  return attempt(async () => {
    if (access === "enable") {
      await data().admin.enableUser(actor, userId);
      return done(userId, "Enabled. The user can sign in again.");
    }
    const r = await data().admin.disableUser(actor, userId);
    return done(
      userId,
      `Disabled. Ended ${plural(r.sessions, "session")}; revoked ${plural(r.consents, "consent")}, ` +
        `${plural(r.refreshTokens, "refresh token")} and ${plural(r.accessTokens, "access token")}.`,
    );
  });
}

const roleForm = z.object({ userId: rowId, role: z.enum(["user", "developer", "admin"]) });

export async function changeRoleAction(_prev: AdminActionState, form: FormData): Promise<AdminActionState> {
  form = formOrEmpty(form); // malformed arguments (a crafted request): an empty form, never a 500
  const actor = await adminActor();
  const parsed = roleForm.safeParse({ userId: form.get("userId"), role: form.get("role") });
  if (!parsed.success) return { ok: false, fieldErrors: { role: "Choose user, developer or admin." } };
  const { role } = parsed.data;
  return attempt(async () => {
    await data().admin.setUserRole(actor, parsed.data.userId, role);
    return done(parsed.data.userId, `Role set to ${role}.`);
  });
}

/**
 * Force a password reset: the user's sessions and tokens end now, they must choose a new password,
 * and they are mailed a reset link (with mail off, the admin is shown the link once, to pass on).
 */
export async function forceResetAction(_prev: AdminActionState, form: FormData): Promise<AdminActionState> {
  form = formOrEmpty(form); // malformed arguments (a crafted request): an empty form, never a 500
  const actor = await adminActor();
  const parsed = userForm.safeParse({ userId: form.get("userId") });
  if (!parsed.success) return { ok: false, error: "No user given." };
  const c = confirmation(form);
  if (c === "no") return IDLE;
  if (c === "ask") return ASK;
  return attempt(async () => {
    const r = await data().admin.forcePasswordReset(actor, parsed.data.userId);
    const user = await data().users.findById(parsed.data.userId);
    const mail: AdminMailResult = user ? await sendAdminReset(mailLinkDeps(), user, actor.ip ?? null) : { sent: false };
    const ended =
      `Ended ${plural(r.sessions, "session")}; revoked ${plural(r.consents, "consent")}, ` +
      `${plural(r.refreshTokens, "refresh token")} and ${plural(r.accessTokens, "access token")}.`;
    if (!mail.sent) {
      done(parsed.data.userId, "");
      return { ok: false, error: `Password reset required. ${ended} The reset link could not be sent: ${MAIL_FAILED_MESSAGE}` };
    }
    return { ...done(parsed.data.userId, `Password reset required. ${ended} ${mail.link ? "" : `A reset link was sent to ${user!.email}.`}`.trim()), link: mail.link };
  });
}

const text = (v: FormDataEntryValue | null, max: number) => (typeof v === "string" ? v.slice(0, max) : "");

/** Creates a user with no password and mails them an invitation to choose one. */
export async function inviteUserAction(_prev: InviteState, form: FormData): Promise<InviteState> {
  form = formOrEmpty(form); // malformed arguments (a crafted request): an empty form, never a 500
  const actor = await adminActor();
  const values = { email: text(form.get("email"), 400), name: text(form.get("name"), 200), role: text(form.get("role"), 20) };
  const r = await inviteUser(mailLinkDeps(), { id: actor.id, ip: actor.ip ?? null }, { email: form.get("email"), name: form.get("name") ?? "", role: form.get("role") });
  if (!r.ok) return { ok: false, fieldErrors: r.fieldErrors, values };
  revalidatePath("/admin/users");
  const email = values.email.trim().toLowerCase();
  if (!r.mail.sent) return { ok: false, error: `The account ${email} was created, but the invitation was not: ${MAIL_FAILED_MESSAGE} Send it again from the user's page.` };
  return { ok: true, message: r.mail.link ? `Created ${email}.` : `Invitation sent to ${email}.`, link: r.mail.link };
}

/** Sends a new invitation (the older link stops working) to a user who has not chosen a password yet. */
export async function resendInviteAction(_prev: AdminActionState, form: FormData): Promise<AdminActionState> {
  form = formOrEmpty(form); // malformed arguments (a crafted request): an empty form, never a 500
  const actor = await adminActor();
  const parsed = userForm.safeParse({ userId: form.get("userId") });
  if (!parsed.success) return { ok: false, error: "No user given." };
  const user = await data().users.findById(parsed.data.userId);
  if (!user) return { ok: false, error: "No such user." };
  if (hasPassword(user.passwordHash)) return { ok: false, error: "They have chosen a password already: use Force password reset instead." };
  const mail = await sendInvite(mailLinkDeps(), user, actor.ip ?? null);
  if (!mail.sent) return { ok: false, error: MAIL_FAILED_MESSAGE };
  return { ok: true, message: mail.link ? "New invitation link:" : `A new invitation was sent to ${user.email}.`, link: mail.link };
}

/** Clears the user's failed sign-in counters and locks (audited as user.unlocked). */
export async function unlockUserAction(_prev: AdminActionState, form: FormData): Promise<AdminActionState> {
  form = formOrEmpty(form); // malformed arguments (a crafted request): an empty form, never a 500
  const actor = await adminActor();
  const parsed = userForm.safeParse({ userId: form.get("userId") });
  if (!parsed.success) return { ok: false, error: "No user given." };
  return attempt(async () => {
    await data().admin.unlockUser(actor, parsed.data.userId);
    return done(parsed.data.userId, "Unlocked. They can sign in again now.");
  });
}

/**
 * Reset a user's second factors (a lost phone, no recovery codes left): TOTP, recovery codes and
 * passkeys removed at once, audited `mfa.reset_by_admin`. The user's sessions stay; their next
 * sign-in follows the MFA policy (set up again when it requires a factor).
 */
export async function resetSecondFactorsAction(_prev: AdminActionState, form: FormData): Promise<AdminActionState> {
  form = formOrEmpty(form); // malformed arguments (a crafted request): an empty form, never a 500
  const actor = await adminActor();
  const parsed = userForm.safeParse({ userId: form.get("userId") });
  if (!parsed.success) return { ok: false, error: "No user given." };
  const c = confirmation(form);
  if (c === "no") return IDLE;
  if (c === "ask") return ASK;
  if (!(await data().users.findById(parsed.data.userId))) return { ok: false, error: "This user no longer exists." };
  const r = await data().mfa.resetAll(parsed.data.userId, { actorId: actor.id, ip: actor.ip });
  return done(
    parsed.data.userId,
    `Reset. Removed ${r.totp ? "the authenticator app, " : ""}${plural(r.recoveryCodes, "recovery code")} and ${plural(r.passkeys, "passkey")}.`,
  );
}
