"use server";
// Admin actions on grants: revoke one user's grant to one client; revoke every grant of a client
// (after the preview page). Each checks the admin role first (404 otherwise).
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { data } from "@/lib/runtime";
import { ASK, IDLE, type AdminActionState, type RevokeAllState } from "@/components/admin/action-state";
import { confirmation, formOrEmpty } from "@/lib/http/action-args";
import { adminActor, attempt, plural, rowId } from "../_lib/actor";
import type { GrantCounts } from "@/lib/db/grants";

const summary = (r: GrantCounts) =>
  `${plural(r.consents, "consent")}, ${plural(r.refreshTokens, "refresh token")}, ` +
  `${plural(r.accessTokens, "access token")} and ${plural(r.codes, "authorization code")}`;

const grantForm = z.object({ userId: rowId, clientRowId: rowId });

/** Revokes one user's grant to one client (from the grants list or the user's page). */
export async function revokeGrantAction(_prev: AdminActionState, form: FormData): Promise<AdminActionState> {
  form = formOrEmpty(form); // malformed arguments (a crafted request): an empty form, never a 500
  const actor = await adminActor();
  const parsed = grantForm.safeParse({ userId: form.get("userId"), clientRowId: form.get("clientRowId") });
  if (!parsed.success) return { ok: false, error: "No grant given." };
  const c = confirmation(form);
  if (c === "no") return IDLE;
  if (c === "ask") return ASK;
  return attempt(async () => {
    const r = await data().admin.revokeGrant(actor, parsed.data.userId, parsed.data.clientRowId);
    revalidatePath("/admin/grants");
    revalidatePath(`/admin/users/${parsed.data.userId}`);
    return { ok: true, message: `Revoked ${summary(r)}.` };
  });
}

/** Incident response: revokes every grant of one client, and reports what was revoked. */
export async function revokeAllForClientAction(_prev: RevokeAllState, form: FormData): Promise<RevokeAllState> {
  form = formOrEmpty(form); // malformed arguments (a crafted request): an empty form, never a 500
  const actor = await adminActor();
  const parsed = z.object({ clientRowId: rowId }).safeParse({ clientRowId: form.get("clientRowId") });
  if (!parsed.success) return { ok: false, error: "No client given." };
  return attempt(async () => {
    const report = await data().admin.revokeAllForClient(actor, parsed.data.clientRowId);
    revalidatePath("/admin/grants");
    return { ok: true, message: `Revoked ${summary(report)}.`, report };
  });
}
