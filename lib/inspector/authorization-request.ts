// Step A: the authorization request (RFC 6749 §4.1.1) with PKCE (RFC 7636 §4.1-4.3) and, for
// OpenID Connect, a nonce; laid out parameter by parameter.
import { randomToken } from "../crypto/tokens";
import { s256 } from "../oauth/pkce";
import { AUTHORIZE_PARAMS, explain } from "./explanations";
import type { InspectorState } from "./state";

export const CALLBACK_PATH = "/dashboard/inspector/callback";
export const callbackUrl = (issuer: string) => `${issuer}${CALLBACK_PATH}`;

/** Fresh values for a run: 32 random bytes each (RFC 7636 §4.1: a 43-character verifier). */
export function newRun(input: {
  clientRowId: string;
  userId: string;
  issuer: string;
  scope: string[];
  /** The API chosen in step A (sent as `resource`), else none. */
  resource?: string;
  /** The API the token will be for (the chosen one, else the client's default) and its scopes asked for. */
  api?: { identifier: string; scopes: string[] };
}): InspectorState {
  return {
    ...(input.resource ? { resource: input.resource } : {}),
    ...(input.api ? { api: input.api } : {}),
    clientRowId: input.clientRowId,
    userId: input.userId,
    redirectUri: callbackUrl(input.issuer),
    scope: input.scope,
    state: randomToken(32),
    // OIDC Core §3.1.2.1: nonce belongs to OpenID Connect requests.
    nonce: input.scope.includes("openid") ? randomToken(32) : null,
    codeVerifier: randomToken(32),
  };
}

export interface ExplainedParam {
  name: string;
  value: string;
  meaning: string;
}

export function authorizationRequest(run: InspectorState, client: { clientId: string }, authorizationEndpoint: string) {
  const params: [string, string][] = [
    ["response_type", "code"],
    ["client_id", client.clientId],
    ["redirect_uri", run.redirectUri],
    ["scope", run.scope.join(" ")],
    ["state", run.state],
  ];
  if (run.nonce) params.push(["nonce", run.nonce]);
  // RFC 8707 §2: the API the access token is for; its identifier becomes the token's aud.
  if (run.resource) params.push(["resource", run.resource]);
  // RFC 7636 §4.2: code_challenge = BASE64URL-ENCODE(SHA256(ASCII(code_verifier))).
  const challenge = s256(run.codeVerifier);
  params.push(["code_challenge", challenge], ["code_challenge_method", "S256"]);
  const url = new URL(authorizationEndpoint);
  for (const [k, v] of params) url.searchParams.set(k, v);
  return {
    url: url.href,
    params: params.map(([name, value]): ExplainedParam => ({ name, value, meaning: explain(AUTHORIZE_PARAMS, name) })),
    pkce: { verifier: run.codeVerifier, challenge, method: "S256" as const },
  };
}
