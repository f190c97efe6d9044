// The client_credentials grant (RFC 6749 §4.4): a confidential client acting on its own behalf.
// No refresh token (§4.4.3), no ID token (there is no user). With a `resource` (RFC 8707 §2),
// or the client's default API, the token is for that API: its scopes, its audience.
import { InvalidClient, InvalidScope, UnauthorizedClient } from "../errors";
import { parseScope } from "../scopes";
import { planAccessToken, signAccessToken, tokenResponse, type TokenResponse } from "../tokens";
import { isPublicClient, type OAuthClient, type OAuthDeps } from "../types";
import { apiFor, oneRequestedResource } from "./resource";

/** Scopes about a user mean nothing without one. */
const USER_ONLY_SCOPES = new Set(["openid", "offline_access"]);

export async function clientCredentialsGrant(deps: OAuthDeps, client: OAuthClient, params: Map<string, string>): Promise<TokenResponse> {
  // §4.4: MUST only be used by confidential clients.
  if (isPublicClient(client) || !client.grantTypes.includes("client_credentials")) {
    throw new UnauthorizedClient("This client may not use the client_credentials grant");
  }
  // RFC 8707 §2: one resource (or the client's default API): the token is for that API.
  const resource = params.has("resource") ? oneRequestedResource(params) : client.defaultResource;
  const api = resource === null ? null : await apiFor(deps, client, resource);
  let scope: string[];
  if (api === null) {
    scope = parseScope(params.get("scope"));
    const refused = scope.filter((s) => USER_ONLY_SCOPES.has(s) || !client.scopes.includes(s));
    if (refused.length) throw new InvalidScope(`Scope not allowed for client_credentials: ${refused.join(" ")}`);
  } else {
    // No scope: every scope of the API (RFC 6749 §3.3 default); else only the API's scopes.
    scope = params.has("scope") ? parseScope(params.get("scope")) : api.scopes.map((s) => s.name);
    const refused = scope.filter((s) => !api.scopes.some((x) => x.name === s));
    if (refused.length) throw new InvalidScope(`Not a scope of ${api.name}: ${refused.join(" ")}`);
  }
  const now = deps.now();
  const access = planAccessToken(deps, { client, userId: null, scope, grantId: null, authTime: null, amr: [], sessionId: null, api }, now);
  // The client may have been deleted since it authenticated (another instance, within the
  // client cache's second): then it is unknown, as at authentication (RFC 6749 §5.2).
  if (!(await deps.stores.tokens.recordAccess(access.record))) {
    throw new InvalidClient("Client authentication failed", client.tokenEndpointAuthMethod === "client_secret_basic");
  }
  return tokenResponse(deps, scope, await signAccessToken(deps, access), { expiresIn: access.expiresIn });
}
