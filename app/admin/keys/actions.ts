"use server";
// Admin actions on signing keys: rotate (a new active key per algorithm; the old ones retired
// but still published), retire one key (never the last active key of its algorithm).
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { data } from "@/lib/runtime";
import { getConfig } from "@/lib/config";
import { ASK, IDLE, type AdminActionState } from "@/components/admin/action-state";
import { confirmation, formOrEmpty } from "@/lib/http/action-args";
import { adminActor } from "../_lib/actor";

export async function rotateKeysAction(_prev: AdminActionState, _form: FormData): Promise<AdminActionState> {
  const actor = await adminActor();
  const rotated = await data().admin.rotateKeys(getConfig().secret, actor.id);
  revalidatePath("/admin/keys");
  return { ok: true, message: `New active keys: ${rotated.map((k) => `${k.alg} ${k.kid.slice(0, 8)}…`).join(", ")}. Other instances pick them up within 30 seconds.` };
}

const REFUSALS = {
  not_found: "No such key.",
  already_retired: "This key is already retired.",
  last_active: "This is the only active key for its algorithm: rotate first, so that there is always a signing key.",
} as const;

export async function retireKeyAction(_prev: AdminActionState, form: FormData): Promise<AdminActionState> {
  form = formOrEmpty(form); // malformed arguments (a crafted request): an empty form, never a 500
  const actor = await adminActor();
  const parsed = z.object({ kid: z.string().trim().min(1).max(128) }).safeParse({ kid: form.get("kid") });
  if (!parsed.success) return { ok: false, error: "No key given." };
  const c = confirmation(form);
  if (c === "no") return IDLE;
  if (c === "ask") return ASK;
  const r = await data().admin.retireKey(actor.id, parsed.data.kid);
  if (!r.ok) return { ok: false, error: REFUSALS[r.reason] };
  revalidatePath("/admin/keys");
  return { ok: true, message: "Retired. It stays published for two days so that tokens it signed still verify." };
}
