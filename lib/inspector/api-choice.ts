// Step A's API choice: which API the token is for (sent as `resource`, RFC 8707 §2) and which of
// its scopes to ask for. The form posts the API's row id and the API scopes qualified by their
// API (lib/oauth/resources.ts), so the checkboxes of every API can be on one page without
// JavaScript; only the chosen API's scopes may be ticked.
import { qualifyScope, unqualifyScope } from "../oauth/resources";

export interface ApiOption {
  id: string;
  name: string;
  identifier: string;
  scopes: { name: string; description: string }[];
}

export type RunPlan =
  | { ok: true; scope: string[]; resource?: string; api?: { identifier: string; scopes: string[] } }
  | { ok: false; error: string };

/**
 * `clientScopes`: the client's registered (portal) scopes; `apis`: the APIs offered; `defaultApi`:
 * the client's default API, which the server applies when no resource is sent.
 */
export function planRun(
  form: { apiId: string; scopes: string[] },
  rules: { clientScopes: string[]; apis: ApiOption[]; defaultApi: { identifier: string } | null },
): RunPlan {
  const chosen = form.apiId === "" ? null : rules.apis.find((a) => a.id === form.apiId);
  if (chosen === undefined) return { ok: false, error: "Choose one of the APIs listed, or None." };
  const portal = rules.clientScopes.filter((s) => form.scopes.includes(s));
  const apiScopes: string[] = [];
  for (const posted of form.scopes) {
    const { resource, scope } = unqualifyScope(posted);
    if (resource === null) {
      if (!rules.clientScopes.includes(scope)) return { ok: false, error: "Pick only scopes listed here." };
      continue;
    }
    const owner = rules.apis.find((a) => a.identifier === resource && a.scopes.some((s) => qualifyScope(a.identifier, s.name) === posted));
    if (!owner) return { ok: false, error: "Pick only scopes listed here." };
    if (owner.identifier !== (chosen ?? rules.defaultApi)?.identifier) {
      return { ok: false, error: `${scope} is a scope of ${owner.name}: choose ${owner.name} as the API, or untick it.` };
    }
    if (!apiScopes.includes(scope)) apiScopes.push(scope);
  }
  if (portal.length + apiScopes.length === 0) return { ok: false, error: "Pick at least one of this client's scopes." };
  // None chosen: the server gives the token to the client's default API, if it has one.
  const target = chosen ?? rules.defaultApi;
  return {
    ok: true,
    scope: [...portal, ...apiScopes],
    ...(chosen ? { resource: chosen.identifier } : {}),
    ...(target ? { api: { identifier: target.identifier, scopes: apiScopes } } : {}),
  };
}
