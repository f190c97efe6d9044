"use server";
// Admin: reset a user's second factors (a lost phone, no recovery codes left): TOTP, recovery
// codes and passkeys removed at once, audited `mfa.reset_by_admin`. The user's sessions stay;
// their next sign-in follows the MFA policy (set up again when it requires a factor).
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { ASK, IDLE, type AdminActionState } from "@/components/admin/action-state";
import { data } from "@/lib/runtime";
import { confirmation, formOrEmpty } from "@/lib/http/action-args";
import { adminActor, plural, rowId } from "../_lib/actor";

const userForm = z.object({ userId: rowId });

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
  revalidatePath(`/admin/users/${parsed.data.userId}`);
  return {
    ok: true,
    message: `Reset. Removed ${r.totp ? "the authenticator app, " : ""}${plural(r.recoveryCodes, "recovery code")} and ${plural(r.passkeys, "passkey")}.`,
  };
}
