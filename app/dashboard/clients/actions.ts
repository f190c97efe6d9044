"use server";
// The dashboard's server actions. Each is a public endpoint: it authenticates and authorizes on
// the server (requireDashboardUser / requireClientAccess: not the owner and not an admin => 404,
// nothing changes), validates with safeParse, returns field errors, and redirects last.
// Secrets are returned in the action's result only (never in a URL or a cookie).
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { getConfig } from "@/lib/config";
import { data } from "@/lib/runtime";
import { clientMetadataOf, ConcurrentChange } from "@/lib/db/clients";
import { requireClientAccess, requireDashboardUser } from "@/lib/auth/session";
import { isAdmin } from "@/lib/auth/roles";
import { defaultApiChoices, parseClientForm, parseDefaultApi } from "@/lib/dashboard/client-form";
import { ApiNotFound } from "@/lib/db/apis";
import { applyFix } from "@/lib/dashboard/fixes";
import { makeClientMetadataSchema } from "@/lib/oauth/client-metadata";
import { confirmation, formOrEmpty } from "@/lib/http/action-args";
import type { ClientFormState, DeleteState, SecretState } from "@/components/dashboard/action-states";

const clientRowId = (form: FormData) => String(form.get("client") ?? "");

export async function createClientAction(_prev: ClientFormState, form: FormData): Promise<ClientFormState> {
  form = formOrEmpty(form); // malformed arguments (a crafted request): an empty form, never a 500
  const session = await requireDashboardUser("/dashboard/clients/new");
  // An admin may use a name that imitates the server, and the admin's clients are verified.
  const admin = isAdmin(session.user);
  const result = parseClientForm(form, { issuer: getConfig().issuer, trustedName: admin });
  if (!result.ok) return { values: result.values, errors: result.errors };
  // No revalidation: the list is rendered per request, and the answer below must survive.
  const created = await data().clients.create(result.metadata, session.userId, session.userId, "dashboard", admin);
  return { created: { id: created.id, clientId: created.client_id, ...(created.client_secret ? { secret: created.client_secret } : {}) } };
}

export async function updateClientAction(_prev: ClientFormState, form: FormData): Promise<ClientFormState> {
  form = formOrEmpty(form); // malformed arguments (a crafted request): an empty form, never a 500
  const id = clientRowId(form);
  const { session, client } = await requireClientAccess(id, `/dashboard/clients/${encodeURIComponent(id)}/edit`);
  const admin = isAdmin(session.user);
  const result = parseClientForm(form, { issuer: getConfig().issuer, stored: clientMetadataOf(client), trustedName: admin });
  // The default API (RFC 8707 resource when the request names none): only an API the caller
  // manages (their own; any for an admin) that allows this client.
  const choices = defaultApiChoices(await data().apis.listFor({ id: session.userId, admin }), client.id);
  const defaultApi = parseDefaultApi(result.values.default_api, choices, client.defaultApiId);
  if (!result.ok || !defaultApi.ok) {
    return { values: result.values, errors: { ...(result.ok ? {} : result.errors), ...(defaultApi.ok ? {} : { default_api: [defaultApi.error] }) } };
  }
  await data().clients.update(client.id, result.metadata, session.userId, admin);
  try {
    await data().apis.setDefaultFor(client.id, defaultApi.apiId, session.userId);
  } catch (err) {
    // Deleted between the form and now: the other changes are saved; say so and ask again.
    if (err instanceof ApiNotFound) return { values: result.values, errors: { default_api: ["That API no longer exists. Your other changes are saved."] } };
    throw err;
  }
  revalidatePath(`/dashboard/clients/${client.id}`);
  redirect(`/dashboard/clients/${client.id}`);
}

/** The grace periods a developer may pick for the previous secret, in seconds. */
const GRACE = { none: 0, "1h": 3600, "24h": 86400, "7d": 7 * 86400 } as const;
const rotateSchema = z.object({ grace: z.enum(["none", "1h", "24h", "7d"]) });

export async function rotateSecretAction(_prev: SecretState, form: FormData): Promise<SecretState> {
  form = formOrEmpty(form); // malformed arguments (a crafted request): an empty form, never a 500
  const id = clientRowId(form);
  const { session, client } = await requireClientAccess(id, `/dashboard/clients/${encodeURIComponent(id)}`);
  const parsed = rotateSchema.safeParse({ grace: form.get("grace") });
  if (!parsed.success) return { error: "Choose how long the current secret keeps working." };
  if (client.tokenEndpointAuthMethod === "none") return { error: "A public client has no secret." };
  // With no grace the current secret stops at once: the app breaks until it has the new one.
  if (parsed.data.grace === "none") {
    const c = confirmation(form);
    if (c === "no") return {};
    if (c === "ask") return { needsConfirmation: true };
  }
  let secret: string;
  try {
    secret = await data().clients.rotateSecret(client.id, GRACE[parsed.data.grace], session.userId);
  } catch (err) {
    if (err instanceof ConcurrentChange) return { error: err.message };
    throw err;
  }
  revalidatePath(`/dashboard/clients/${client.id}`);
  return { secret };
}

export async function deleteClientAction(_prev: DeleteState, form: FormData): Promise<DeleteState> {
  form = formOrEmpty(form); // malformed arguments (a crafted request): an empty form, never a 500
  const id = clientRowId(form);
  const { session, client } = await requireClientAccess(id, `/dashboard/clients/${encodeURIComponent(id)}/delete`);
  const typed = String(form.get("confirm_name") ?? "");
  if (typed !== client.name) return { error: `Type the client's name, ${client.name}, exactly to confirm.` };
  // No revalidation: re-rendering this page now would be a 404 and swallow the answer.
  const counts = await data().clients.remove(client.id, session.userId);
  return { deleted: { name: client.name, counts } };
}

const fixSchema = z.object({
  fix: z.enum(["require_pkce", "remove_loose_redirect_uris", "drop_client_credentials", "drop_refresh_token", "rotate_secret"]),
});

/** A scorecard fix, in one click. rotate_secret rotates with 24 h of grace and shows the new secret once. */
export async function scorecardFixAction(_prev: SecretState, form: FormData): Promise<SecretState> {
  form = formOrEmpty(form); // malformed arguments (a crafted request): an empty form, never a 500
  const id = clientRowId(form);
  const { session, client } = await requireClientAccess(id, `/dashboard/clients/${encodeURIComponent(id)}`);
  const parsed = fixSchema.safeParse({ fix: form.get("fix") });
  if (!parsed.success) return { error: "Unknown fix." };
  const fix = parsed.data.fix;
  if (fix === "rotate_secret") {
    if (client.tokenEndpointAuthMethod === "none") return { error: "A public client has no secret." };
    const secret = await data().clients.rotateSecret(client.id, GRACE["24h"], session.userId);
    revalidatePath(`/dashboard/clients/${client.id}`);
    return { secret };
  }
  // A fix never changes the name: the stored one stays allowed.
  const next = makeClientMetadataSchema({ issuer: getConfig().issuer, trustedName: true }).safeParse(applyFix(clientMetadataOf(client), fix));
  if (!next.success) return { error: `This fix would leave the client invalid: ${next.error.issues[0]?.message ?? "edit it instead"}.` };
  await data().clients.update(client.id, next.data, session.userId);
  revalidatePath(`/dashboard/clients/${client.id}`);
  return { message: "Fixed." };
}
