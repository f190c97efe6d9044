// The authorization_code grant, in the order of RFC 6749 §4.1.3: required parameters -> find
// the code -> issued to this client? -> used before? -> expired? -> PKCE -> redirect_uri ->
// consume atomically -> issue.
import { sha256 } from "../../crypto/tokens";
import { InvalidGrant, InvalidRequest, UnauthorizedClient } from "../errors";
import { verifierMatches } from "../pkce";
import { planAccessToken, planRefreshToken, signAccessToken, signIdToken, tokenResponse, type TokenResponse } from "../tokens";
import type { OAuthClient, OAuthDeps } from "../types";
import { idTokenUserClaims } from "../user-claims";
import { accessScope, apiFor, chooseGrantResource } from "./resource";

export async function authorizationCodeGrant(deps: OAuthDeps, client: OAuthClient, params: Map<string, string>): Promise<TokenResponse> {
  if (!client.grantTypes.includes("authorization_code")) {
    throw new UnauthorizedClient("This client may not use the authorization_code grant");
  }
  const code = params.get("code");
  if (!code) throw new InvalidRequest("code is required");
  const now = deps.now();
  const { tokens } = deps.stores;

  const record = await deps.stores.codes.findByHash(sha256(code));
  // §4.1.3: ensure the code was issued to the authenticated client. Same words either way.
  if (!record || record.clientId !== client.id) throw new InvalidGrant("The authorization code is invalid");
  if (record.consumedAt) {
    // §4.1.2: a code used twice -> deny, and revoke every token issued from it.
    await tokens.revokeGrant(record.grantId, now);
    await deps.stores.audit.record({ type: "code.replay_detected", subjectId: record.userId, clientId: client.id });
    throw new InvalidGrant("The authorization code was already used");
  }
  if (record.expiresAt <= now) throw new InvalidGrant("The authorization code has expired");

  // RFC 7636 §4.6; RFC 9700 §2.1.1: a verifier without a challenge is a downgrade attempt.
  const verifier = params.get("code_verifier");
  if (record.codeChallenge) {
    if (!verifier) throw new InvalidGrant("code_verifier is required");
    if (!verifierMatches(verifier, record.codeChallenge)) throw new InvalidGrant("code_verifier does not match the code_challenge");
  } else if (verifier) {
    throw new InvalidGrant("code_verifier was sent but the authorization request had no code_challenge");
  }

  // §4.1.3: redirect_uri required if it was in the authorization request, and identical.
  const redirectUri = params.get("redirect_uri");
  if (record.redirectUriGiven && !redirectUri) throw new InvalidGrant("redirect_uri is required");
  if (redirectUri !== undefined && redirectUri !== record.redirectUri) {
    throw new InvalidGrant("redirect_uri does not match the authorization request");
  }

  if (!record.userActive) throw new InvalidGrant("The user of this authorization is no longer active");

  // RFC 8707 §2.2: the one resource this access token is for (checked before the code is used).
  const resource = record.resources.length === 0 && !params.has("resource") ? null : chooseGrantResource(record.resources, params);
  const api = resource === null ? null : await apiFor(deps, client, resource);
  const ctx = {
    client,
    userId: record.userId,
    scope: api === null && record.resources.length === 0 ? record.scope : accessScope(record.scope, api),
    grantId: record.grantId,
    authTime: record.authTime,
    amr: record.amr,
    sessionId: record.sessionId,
    api,
  };
  const access = planAccessToken(deps, ctx, now);
  // The refresh token keeps the whole grant: every scope and resource (narrowing is per access token).
  const refresh =
    record.scope.includes("offline_access") && client.grantTypes.includes("refresh_token")
      ? planRefreshToken(deps, { ...ctx, scope: record.scope, resources: record.resources }, now)
      : null;
  if (!(await tokens.redeemCode(record.id, now, access.record, refresh?.record ?? null))) {
    // Another redemption won the race: this is a replay too.
    await tokens.revokeGrant(record.grantId, now);
    throw new InvalidGrant("The authorization code was already used");
  }
  const accessToken = await signAccessToken(deps, access);
  // OIDC Core §3.1.3.3: an ID token for openid requests, with the granted profile/email claims.
  const idToken = record.scope.includes("openid")
    ? await signIdToken(deps, ctx, accessToken, record.nonce, now, idTokenUserClaims(client, record.user, record.scope, true))
    : null;
  return tokenResponse(deps, ctx.scope, accessToken, { refreshToken: refresh?.token, idToken, expiresIn: access.expiresIn });
}
