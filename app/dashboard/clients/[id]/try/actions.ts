"use server";
// The try page's two actions: add the inspector's callback to the client's redirect URIs, and
// prepare a run (step A). Public endpoints: each checks the caller may manage the client.
import { redirect } from "next/navigation";
import { z } from "zod";
import { data } from "@/lib/runtime";
import { requireClientAccess } from "@/lib/auth/session";
import { getConfig } from "@/lib/config";
import { callbackUrl, newRun } from "@/lib/inspector/authorization-request";
import { parseScope } from "@/lib/oauth/scopes";
import { inspectorApis, saveRun } from "@/app/dashboard/inspector/server";
import { planRun } from "@/lib/inspector/api-choice";
import { formOrEmpty } from "@/lib/http/action-args";
import type { TryActionState } from "@/components/inspector/try-state";
import { SAFE_ID } from "@/lib/oauth/text";

const idSchema = z.string().max(64).regex(SAFE_ID);
const tryPath = (id: string) => `/dashboard/clients/${id}/try`;

function clientIdFrom(form: FormData): string {
  const parsed = idSchema.safeParse(form.get("client"));
  return parsed.success ? parsed.data : "-";
}

export async function addCallbackAction(_prev: TryActionState, form: FormData): Promise<TryActionState> {
  form = formOrEmpty(form); // malformed arguments (a crafted request): an empty form, never a 500
  const id = clientIdFrom(form);
  const { session, client } = await requireClientAccess(id, tryPath(id));
  const result = await data().inspector.addRedirectUri(client.id, callbackUrl(getConfig().issuer), session.userId);
  if (result === "not_found") return { error: "This client no longer exists." };
  if (result === "conflict") return { error: "The client was changed at the same time. Reload the page and try again." };
  redirect(tryPath(client.id));
}

export async function startRunAction(_prev: TryActionState, form: FormData): Promise<TryActionState> {
  form = formOrEmpty(form); // malformed arguments (a crafted request): an empty form, never a 500
  const id = clientIdFrom(form);
  const { session, client } = await requireClientAccess(id, tryPath(id));
  const { apis, defaultApi } = await inspectorApis(session, client);
  const plan = planRun(
    { apiId: typeof form.get("api") === "string" ? String(form.get("api")) : "", scopes: form.getAll("scope").filter((s): s is string => typeof s === "string") },
    { clientScopes: parseScope(client.scopes), apis, defaultApi },
  );
  if (!plan.ok) return { error: plan.error };
  await saveRun(newRun({ clientRowId: client.id, userId: session.userId, issuer: getConfig().issuer, scope: plan.scope, resource: plan.resource, api: plan.api }));
  redirect(tryPath(client.id));
}
