// The refresh_token grant (RFC 6749 §6) with rotation: every use retires the token and issues
// a successor in the same family; presenting a retired one revokes the family
// (RFC 9700 §4.14.2, refresh token reuse detection), except for a retry of a lost response by
// the same client within a short grace window (./refresh-replay.ts).
import { sha256 } from "../../crypto/tokens";
import { replayOrRevoke, sealResponse } from "./refresh-replay";
import { InvalidGrant, InvalidRequest, InvalidScope, UnauthorizedClient } from "../errors";
import { parseScope } from "../scopes";
import { planAccessToken, planRefreshToken, signAccessToken, signIdToken, tokenResponse, type TokenResponse } from "../tokens";
import type { OAuthClient, OAuthDeps } from "../types";
import { idTokenUserClaims } from "../user-claims";
import { accessScope, apiFor, chooseGrantResource } from "./resource";

export async function refreshTokenGrant(deps: OAuthDeps, client: OAuthClient, params: Map<string, string>): Promise<TokenResponse> {
  if (!client.grantTypes.includes("refresh_token")) throw new UnauthorizedClient("This client may not use the refresh_token grant");
  const token = params.get("refresh_token");
  if (!token) throw new InvalidRequest("refresh_token is required");
  const now = deps.now();
  const { tokens } = deps.stores;

  const record = await tokens.findRefreshByHash(sha256(token));
  if (!record || record.revokedAt) throw new InvalidGrant("The refresh token is invalid");
  // A retired token: a retry of a lost response, or reuse (revokes the family, whoever presents it).
  if (record.rotatedAt) return replayOrRevoke(deps, client, record, token, now, false);
  // §6: the token must have been issued to the authenticated client. A current token presented by
  // another client is refused but left alone: that client cannot have used it.
  if (record.clientId !== client.id) throw new InvalidGrant("The refresh token is invalid");
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

  const ctx = { client, userId: record.userId, scope, grantId: record.grantId, authTime: record.authTime, amr: record.amr, sessionId: record.sessionId, api };
  const access = planAccessToken(deps, ctx, now);
  // The successor keeps the original scope and resources (a narrower request narrows only this
  // access token) and the family's absolute expiry.
  const next = planRefreshToken(deps, { ...ctx, scope: record.scope, resources: record.resources }, now, record.absoluteExpiresAt);
  // Signed before the rotation commits: a retry must be able to get this exact response.
  const accessToken = await signAccessToken(deps, access);
  // OIDC Core §12.2: a refreshed ID token for openid grants (no nonce), with the profile/email
  // claims of this request's scope, read from the user as it is now.
  const idToken = scope.includes("openid")
    ? await signIdToken(deps, ctx, accessToken, null, now, idTokenUserClaims(client, record.user, scope, true))
    : null;
  const response = tokenResponse(deps, scope, accessToken, { refreshToken: next.token, idToken, expiresIn: access.expiresIn });
  const replay = deps.refreshReuseGrace.seconds > 0 ? sealResponse(token, record.id, response, access.record.expiresAt) : null;
  // Lost the race to a concurrent refresh with the same token: that one has committed by now
  // (the guard waited for it), so this takes its response (or it was revoked meanwhile).
  if (!(await tokens.rotateRefresh(record.id, now, access.record, next.record, replay))) {
    return replayOrRevoke(deps, client, record, token, now, true);
  }
  return response;
}
