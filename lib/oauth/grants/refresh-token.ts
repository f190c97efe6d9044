// The refresh_token grant (RFC 6749 §6) with rotation: every use retires the token and issues
// a successor in the same family; presenting a retired one revokes the family
// (RFC 9700 §4.14.2, refresh token reuse detection).
import { sha256 } from "../../crypto/tokens";
import { InvalidGrant, InvalidRequest, InvalidScope, UnauthorizedClient } from "../errors";
import { parseScope } from "../scopes";
import { planAccessToken, planRefreshToken, signAccessToken, signIdToken, tokenResponse, type TokenResponse } from "../tokens";
import type { OAuthClient, OAuthDeps } from "../types";
import { accessScope, apiFor, chooseGrantResource } from "./resource";

export async function refreshTokenGrant(deps: OAuthDeps, client: OAuthClient, params: Map<string, string>): Promise<TokenResponse> {
  if (!client.grantTypes.includes("refresh_token")) throw new UnauthorizedClient("This client may not use the refresh_token grant");
  const token = params.get("refresh_token");
  if (!token) throw new InvalidRequest("refresh_token is required");
  const now = deps.now();
  const { tokens } = deps.stores;

  const record = await tokens.findRefreshByHash(sha256(token));
  // §6: the token must have been issued to the authenticated client.
  if (!record || record.clientId !== client.id || record.revokedAt) throw new InvalidGrant("The refresh token is invalid");
  if (record.rotatedAt) {
    await tokens.revokeGrant(record.grantId, now);
    await deps.stores.audit.record({ type: "refresh.reuse_detected", subjectId: record.userId, clientId: client.id });
    throw new InvalidGrant("The refresh token was already used");
  }
  if (record.expiresAt <= now || record.absoluteExpiresAt <= now) throw new InvalidGrant("The refresh token has expired");

  // RFC 8707 §2.2: one of the grant's resources (never a new one), for this access token only.
  const resource = record.resources.length === 0 && !params.has("resource") ? null : chooseGrantResource(record.resources, params);
  const api = resource === null ? null : await apiFor(deps, client, resource);
  const available = api === null && record.resources.length === 0 ? record.scope : accessScope(record.scope, api);

  // §6: a requested scope MUST NOT include any scope not originally granted (for this resource).
  let scope = available;
  if (params.has("scope")) {
    const requested = parseScope(params.get("scope"));
    if (requested.length === 0 || requested.some((s) => !available.includes(s))) {
      throw new InvalidScope("The requested scope exceeds the scope originally granted");
    }
    scope = requested;
  }

  if (!record.userActive) throw new InvalidGrant("The user of this grant is no longer active");

  const ctx = { client, userId: record.userId, scope, grantId: record.grantId, authTime: record.authTime, sessionId: record.sessionId, api };
  const access = planAccessToken(deps, ctx, now);
  // The successor keeps the original scope and resources (a narrower request narrows only this
  // access token) and the family's absolute expiry.
  const next = planRefreshToken(deps, { ...ctx, scope: record.scope, resources: record.resources }, now, record.absoluteExpiresAt);
  if (!(await tokens.rotateRefresh(record.id, now, access.record, next.record))) {
    await tokens.revokeGrant(record.grantId, now);
    throw new InvalidGrant("The refresh token was already used");
  }
  const accessToken = await signAccessToken(deps, access);
  // OIDC Core §12.2: a refreshed ID token for openid grants (no nonce).
  const idToken = scope.includes("openid") ? await signIdToken(deps, ctx, accessToken, null, now) : null;
  return tokenResponse(deps, scope, accessToken, { refreshToken: next.token, idToken, expiresIn: access.expiresIn });
}
