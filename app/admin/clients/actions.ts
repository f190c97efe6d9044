"use server";
// Admin actions on clients: suspend, resume, mark verified / unverified, delete (the admin types the client's name).
// Each checks the admin role first (404 otherwise).
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { ASK, IDLE, type AdminActionState } from "@/components/admin/action-state";
import { data } from "@/lib/runtime";
import { confirmation, formOrEmpty } from "@/lib/http/action-args";
import { adminActor, attempt, rowId } from "../_lib/actor";

const clientForm = z.object({ clientRowId: rowId });

async function setSuspended(form: FormData, suspended: boolean): Promise<AdminActionState> {
  const actor = await adminActor();
  const parsed = clientForm.safeParse({ clientRowId: form.get("clientRowId") });
  if (!parsed.success) return { ok: false, error: "No client given." };
  if (suspended) {
    const c = confirmation(form);
    if (c === "no") return IDLE;
    if (c === "ask") return ASK;
  }
  return attempt(async () => {
    await data().admin.setClientSuspended(actor, parsed.data.clientRowId, suspended);
    revalidatePath("/admin/clients");
    return {
      ok: true,
      message: suspended ? "Suspended: its requests are refused from now on." : "Resumed: it works again.",
    };
  });
}

export async function suspendClientAction(_prev: AdminActionState, form: FormData): Promise<AdminActionState> {
  form = formOrEmpty(form); // malformed arguments (a crafted request): an empty form, never a 500
  return setSuspended(form, true);
}

export async function resumeClientAction(_prev: AdminActionState, form: FormData): Promise<AdminActionState> {
  form = formOrEmpty(form); // malformed arguments (a crafted request): an empty form, never a 500
  return setSuspended(form, false);
}

async function setVerified(form: FormData, verified: boolean): Promise<AdminActionState> {
  form = formOrEmpty(form); // malformed arguments (a crafted request): an empty form, never a 500
  const actor = await adminActor();
  const parsed = clientForm.safeParse({ clientRowId: form.get("clientRowId") });
  if (!parsed.success) return { ok: false, error: "No client given." };
  return attempt(async () => {
    await data().admin.setClientVerified(actor, parsed.data.clientRowId, verified);
    revalidatePath("/admin/clients");
    return {
      ok: true,
      message: verified ? "Marked verified: the consent screen shows it as verified." : "Marked unverified: the consent screen warns users about it.",
    };
  });
}

export async function verifyClientAction(_prev: AdminActionState, form: FormData): Promise<AdminActionState> {
  return setVerified(form, true);
}

export async function unverifyClientAction(_prev: AdminActionState, form: FormData): Promise<AdminActionState> {
  return setVerified(form, false);
}

const deleteForm = z.object({ clientRowId: rowId, confirm: z.string().max(500) });

export async function deleteClientAction(_prev: AdminActionState, form: FormData): Promise<AdminActionState> {
  form = formOrEmpty(form); // malformed arguments (a crafted request): an empty form, never a 500
  const actor = await adminActor();
  const parsed = deleteForm.safeParse({ clientRowId: form.get("clientRowId"), confirm: form.get("confirm") ?? "" });
  if (!parsed.success) return { ok: false, error: "No client given." };
  if (!parsed.data.confirm) return { ok: false, fieldErrors: { confirm: "Type the client's name to confirm." } };
  const result = await attempt(async () => {
    await data().admin.deleteClient(actor, parsed.data.clientRowId, parsed.data.confirm);
    return { ok: true };
  });
  if (!result.ok) return { ok: false, fieldErrors: { confirm: result.error ?? "Could not delete." } };
  revalidatePath("/admin/clients");
  redirect("/admin/clients?deleted=1");
}
