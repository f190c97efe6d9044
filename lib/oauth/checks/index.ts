// The authorization request checks, in the order they run (node-oidc-provider style: one
// small pure check per file). RFC 6749 §4.1.2.1 splits them in two:
//  - checkTarget: who is asking and where to answer. Until both are known to be genuine, a
//    failure is shown to the user on an error page and never redirected.
//  - checkAuthorizationRequest: everything else. A failure is an OAuth error sent back to the
//    (now trusted) redirect URI.
// The first failing check throws; the outcome of each check is its return value, and nothing
// is written into a shared context.
import type { AuthorizationParams, OAuthClient } from "../types";
import { checkAcrValues } from "./acr-values";
import { checkClient } from "./client";
import { checkClientGrant } from "./client-grant";
import { checkIdTokenRequest } from "./id-token-request";
import { checkMaxAge } from "./max-age";
import { values, type RawParams } from "./params";
import { checkPkce } from "./pkce";
import { checkPrompt } from "./prompt";
import { checkRedirectUri, type RedirectTarget } from "./redirect-uri";
import { checkNoRepeats } from "./repeated-params";
import { checkRequestObject } from "./request-object";
import { checkResponseMode } from "./response-mode";
import { checkResponseType } from "./response-type";
import { checkResource, type FoundApis, NO_APIS } from "./resource";
import { checkScope } from "./scope";
import { checkTextParams } from "./text-params";

export { requestedClientId } from "./client";
export { responseModeOf } from "./response-mode";
export { values, type RawParams } from "./params";
export type { RedirectTarget } from "./redirect-uri";
export { resourceLookups, NO_APIS, allowsClient, type FoundApis } from "./resource";
export { ScopeOfNoRequestedApi } from "./scope";

/** Throws InvalidAuthorizationTarget (an error page). `found` is the lookup of requestedClientId(raw). */
export function checkTarget(raw: RawParams, found: OAuthClient | null): { client: OAuthClient } & RedirectTarget {
  const client = checkClient(found, values(raw, "client_id")[0]); // (1) client_id known, not suspended
  const target = checkRedirectUri(raw, client); //       (2) redirect_uri registered
  return { client, ...target };
}

/**
 * Throws an OAuthError, to be redirected to `target.redirectUri`. `found`: the APIs of
 * resourceLookups(raw, client), looked up beforehand (the checks themselves never wait).
 */
export function checkAuthorizationRequest(raw: RawParams, client: OAuthClient, target: RedirectTarget, found: FoundApis = NO_APIS): AuthorizationParams {
  checkNoRepeats(raw); //                                (3) RFC 6749 §3.1
  const responseType = checkResponseType(raw); //        (4) RFC 6749 §4.1.1, OIDC Core §3.2.2.1
  checkRequestObject(raw); //                                OIDC Core §6
  const responseMode = checkResponseMode(raw, responseType); // Multiple Response Types §2.1
  checkClientGrant(client, responseType); //                 unauthorized_client
  const apis = checkResource(raw, client, found); //     (5a) RFC 8707 §2
  const requested = checkScope(raw, client, apis); //    (5b) RFC 6749 §3.3, OIDC Core §11
  // (6) RFC 7636, RFC 9700 §2.1.1: PKCE protects a code; response_type=id_token issues none.
  const pkce = responseType === "code" ? checkPkce(raw, client) : { codeChallenge: null, codeChallengeMethod: null };
  const prompt = checkPrompt(raw); //                    (7) OIDC Core §3.1.2.1
  const maxAge = checkMaxAge(raw);
  const text = checkTextParams(raw);
  const acrValues = checkAcrValues(raw);
  // (8) OIDC Core §3.2.2.1: openid and nonce required; offline_access ignored.
  const scope = responseType === "id_token" ? checkIdTokenRequest({ scope: requested, nonce: text.nonce }) : requested;
  return {
    clientId: client.clientId,
    redirectUri: target.redirectUri,
    redirectUriGiven: target.redirectUriGiven,
    responseType,
    responseMode,
    scope,
    // An ID token alone (response_type=id_token) is for the client, never for an API.
    resources: responseType === "id_token" ? [] : apis.map((a) => a.identifier),
    ...pkce,
    prompt,
    maxAge,
    ...text,
    acrValues,
  };
}
