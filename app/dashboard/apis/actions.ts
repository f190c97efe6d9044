"use server";
// The dashboard's server actions on APIs. Each is a public endpoint: it authenticates and
// authorizes on the server (requireDashboardUser / requireApiAccess: not the owner and not an
// admin => 404, nothing changes), validates with safeParse, returns field errors, and redirects
// last. The API's secret is returned in the action's result only (never in a URL or a cookie).
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { data, oauthDeps } from "@/lib/runtime";
import { ApiIdentifierTaken, ApiNotFound, UnknownClients } from "@/lib/db/apis";
import { ConcurrentChange } from "@/lib/db/clients";
import { requireApiAccess, requireDashboardUser, type CurrentSession } from "@/lib/auth/session";
import { isAdmin } from "@/lib/auth/roles";
import { parseApiSettingsForm, parseNewApiForm } from "@/lib/dashboard/api-form";
import { mintTestToken, TestTokenRefused } from "@/lib/dashboard/test-token";
import { confirmation, formOrEmpty } from "@/lib/http/action-args";
import type { ApiConfirmState, ApiFormState, TestTokenState } from "@/components/dashboard/action-states";

const apiId = (form: FormData) => String(form.get("api") ?? "");
const apiPath = (id: string) => `/dashboard/apis/${encodeURIComponent(id)}`;

/** The clients the caller may let call an API: their own (an admin's: all), plus those already allowed. */
async function clientChoices(session: CurrentSession, alreadyAllowed: string[] = []): Promise<Set<string>> {
  const own = await data().clients.listFor({ id: session.userId, admin: isAdmin(session.user) });
  return new Set([...own.map((c) => c.id), ...alreadyAllowed]);
}

export async function createApiAction(_prev: ApiFormState, form: FormData): Promise<ApiFormState> {
  form = formOrEmpty(form); // malformed arguments (a crafted request): an empty form, never a 500
  const session = await requireDashboardUser("/dashboard/apis/new");
  // An admin may use a name that imitates the server (as for clients).
  const admin = isAdmin(session.user);
  const result = parseNewApiForm(form, { trustedName: admin, clientChoices: await clientChoices(session) });
  if (!result.ok) return { values: result.values, errors: result.errors };
  try {
    // No revalidation: the list is rendered per request, and the answer below must survive.
    const created = await data().apis.create(result.input, session.userId, session.userId);
    return { created: { id: created.api.id, identifier: created.api.identifier, clientId: created.client_id, secret: created.client_secret } };
  } catch (err) {
    if (err instanceof ApiIdentifierTaken) return { values: result.values, errors: { identifier: ["Another API already has this identifier"] } };
    if (err instanceof UnknownClients) return { values: result.values, errors: { allowed_clients: ["One of these clients no longer exists"] } };
    throw err;
  }
}

export async function updateApiAction(_prev: ApiFormState, form: FormData): Promise<ApiFormState> {
  form = formOrEmpty(form); // malformed arguments (a crafted request): an empty form, never a 500
  const id = apiId(form);
  const { session, api } = await requireApiAccess(id, `${apiPath(id)}/edit`);
  // A name kept as it is stays allowed (e.g. an admin's API edited by its developer).
  const trustedName = isAdmin(session.user) || String(form.get("name") ?? "").trim() === api.name;
  const result = parseApiSettingsForm(form, { trustedName, clientChoices: await clientChoices(session, api.allowedClientIds) });
  if (!result.ok) return { values: { ...result.values, identifier: api.identifier }, errors: result.errors };
  try {
    await data().apis.update(api.id, result.input, session.userId);
  } catch (err) {
    const values = { ...result.values, identifier: api.identifier };
    if (err instanceof UnknownClients) return { values, errors: { allowed_clients: ["One of these clients no longer exists"] } };
    if (err instanceof ConcurrentChange) return { values, formError: "The API was changed at the same time; nothing was changed. Try again." };
    if (err instanceof ApiNotFound) return { values, formError: "This API no longer exists." };
    throw err;
  }
  revalidatePath(apiPath(api.id));
  redirect(apiPath(api.id));
}

/** A new secret for the API's credentials. The old one stops at once (introspection breaks), so it asks first. */
export async function rotateApiSecretAction(_prev: ApiConfirmState, form: FormData): Promise<ApiConfirmState> {
  form = formOrEmpty(form); // malformed arguments (a crafted request): an empty form, never a 500
  const id = apiId(form);
  const { session, api } = await requireApiAccess(id, apiPath(id));
  const c = confirmation(form);
  if (c === "no") return {};
  if (c === "ask") return { needsConfirmation: true };
  try {
    const secret = await data().apis.rotateSecret(api.id, session.userId);
    revalidatePath(apiPath(api.id));
    return { secret };
  } catch (err) {
    if (err instanceof ConcurrentChange) return { error: "The secret was rotated at the same time. Reload the page." };
    if (err instanceof ApiNotFound) return { error: "This API no longer exists." };
    throw err;
  }
}

export async function deleteApiAction(_prev: ApiConfirmState, form: FormData): Promise<ApiConfirmState> {
  form = formOrEmpty(form); // malformed arguments (a crafted request): an empty form, never a 500
  const id = apiId(form);
  const { session, api } = await requireApiAccess(id, apiPath(id));
  const c = confirmation(form);
  if (c === "no") return {};
  if (c === "ask") return { needsConfirmation: true };
  try {
    await data().apis.remove(api.id, session.userId);
  } catch (err) {
    if (!(err instanceof ApiNotFound)) throw err; // deleted at the same time: gone either way
  }
  redirect("/dashboard/apis?deleted=1");
}

/**
 * A test token for the API (lib/dashboard/test-token.ts), for one of the caller's own clients
 * that the API allows and the chosen scopes; shown once, in the answer only.
 */
export async function testTokenAction(_prev: TestTokenState, form: FormData): Promise<TestTokenState> {
  form = formOrEmpty(form); // malformed arguments (a crafted request): an empty form, never a 500
  const id = apiId(form);
  const { session, api } = await requireApiAccess(id, apiPath(id));
  const own = await data().clients.listFor({ id: session.userId, admin: isAdmin(session.user) });
  const client = own.find((c) => c.id === form.get("client") && (api.allClients || api.allowedClientIds.includes(c.id)));
  if (!client) return { error: "Choose one of your clients that may ask for this API." };
  const scope = form.getAll("scope").filter((s): s is string => typeof s === "string").slice(0, 200);
  if (api.scopes.length > 0 && scope.length === 0) return { error: "Choose at least one scope." };
  try {
    const t = await mintTestToken(oauthDeps(), { clientId: client.clientId, identifier: api.identifier, scope, actorId: session.userId });
    return { token: { accessToken: t.accessToken, expiresIn: t.expiresIn, scope: t.scope, clientName: client.name } };
  } catch (err) {
    if (err instanceof TestTokenRefused) return { error: err.message };
    throw err;
  }
}
