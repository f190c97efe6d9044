"use server";
// Admin actions on users. Public endpoints: each checks the admin role first (404 otherwise),
// then parses its input, then changes the user with its audit event in one transaction.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { ASK, IDLE, type AdminActionState } from "@/components/admin/action-state";
import { data } from "@/lib/runtime";
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

export async function forceResetAction(_prev: AdminActionState, form: FormData): Promise<AdminActionState> {
  form = formOrEmpty(form); // malformed arguments (a crafted request): an empty form, never a 500
  const actor = await adminActor();
  const parsed = userForm.safeParse({ userId: form.get("userId") });
  if (!parsed.success) return { ok: false, error: "No user given." };
  return attempt(async () => {
    const r = await data().admin.forcePasswordReset(actor, parsed.data.userId);
    return done(
      parsed.data.userId,
      `Password reset required at next sign-in. Ended ${plural(r.sessions, "session")}; revoked ` +
        `${plural(r.consents, "consent")}, ${plural(r.refreshTokens, "refresh token")} and ${plural(r.accessTokens, "access token")}.`,
    );
  });
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
