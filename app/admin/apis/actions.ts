"use server";
// Admin actions on APIs: delete, after confirming. Checks the admin role first (404 otherwise).
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { ASK, IDLE, type AdminActionState } from "@/components/admin/action-state";
import { data } from "@/lib/runtime";
import { ApiNotFound } from "@/lib/db/apis";
import { confirmation, formOrEmpty } from "@/lib/http/action-args";
import { adminActor, rowId } from "../_lib/actor";

const apiForm = z.object({ apiId: rowId });

export async function deleteApiAction(_prev: AdminActionState, form: FormData): Promise<AdminActionState> {
  form = formOrEmpty(form); // malformed arguments (a crafted request): an empty form, never a 500
  const actor = await adminActor();
  const parsed = apiForm.safeParse({ apiId: form.get("apiId") });
  if (!parsed.success) return { ok: false, error: "No API given." };
  const c = confirmation(form);
  if (c === "no") return IDLE;
  if (c === "ask") return ASK;
  try {
    await data().apis.remove(parsed.data.apiId, actor.id);
  } catch (err) {
    if (err instanceof ApiNotFound) return { ok: false, error: "This API no longer exists." };
    throw err;
  }
  // Its row (and this answer with it) goes away: say it on the list instead.
  revalidatePath("/admin/apis");
  redirect("/admin/apis?deleted=1");
}
