// The audience of an access token at the token endpoint (RFC 8707 §2.2, RFC 9068 §3):
//  - authorization_code and refresh_token: a `resource` must be one the grant covers (the
//    authorization request's resources; a refresh never widens), else invalid_target; at most
//    one per token request (one audience per access token), else invalid_target; none: the
//    grant's only resource, or none when the grant has none; a grant of several needs one named.
//  - client_credentials: see client-credentials.ts.
// The API is then read (cached) and must still exist and still allow the client.
import { allowsClient, shownResource } from "../checks/resource";
import { InvalidTarget } from "../errors";
import { resourceProblem, resourcesOf, unqualifyScope } from "../resources";
import type { ApiRecord, OAuthClient, OAuthDeps } from "../types";

/** At most one `resource` per token request (an access token has one audience); null for none. */
export function oneRequestedResource(params: Map<string, string>): string | null {
  const sent = resourcesOf(params);
  if (sent.length > 1) throw new InvalidTarget("Send at most one resource per token request: an access token is for one API");
  const [value] = sent;
  if (value === undefined) return null;
  const problem = resourceProblem(value);
  if (problem) throw new InvalidTarget(`The resource ${shownResource(value)} ${problem} (RFC 8707)`);
  return value;
}

/** The resource of an access token issued from a grant of `granted` resources (see above). */
export function chooseGrantResource(granted: string[], params: Map<string, string>): string | null {
  const requested = oneRequestedResource(params);
  if (requested !== null) {
    if (!granted.includes(requested)) throw new InvalidTarget(`The resource ${shownResource(requested)} was not granted in this authorization`);
    return requested;
  }
  if (granted.length <= 1) return granted[0] ?? null;
  throw new InvalidTarget("This authorization covers several resources: name one with the resource parameter");
}

/** The API of `identifier`, if it still exists and still lets `client` ask for it. */
export async function apiFor(deps: OAuthDeps, client: OAuthClient, identifier: string): Promise<ApiRecord> {
  const api = await deps.stores.apis.findByIdentifier(identifier);
  if (!api) throw new InvalidTarget(`The resource ${shownResource(identifier)} is not an API registered here`);
  if (!allowsClient(api, client)) throw new InvalidTarget(`This client may not request the resource ${shownResource(identifier)}`);
  return api;
}

/**
 * The scope of an access token for `api` (null: for the issuer) from a grant's stored scope:
 * the portal's own scopes, and the scopes of this API (unqualified) that it still defines.
 * Other APIs' scopes never reach it (RFC 9068 §2.2.3: scope is what this token allows).
 */
export function accessScope(granted: string[], api: ApiRecord | null): string[] {
  const out: string[] = [];
  for (const stored of granted) {
    const { resource, scope } = unqualifyScope(stored);
    if (resource === null) out.push(scope);
    else if (api && resource === api.identifier && api.scopes.some((s) => s.name === scope)) out.push(scope);
  }
  return out;
}
