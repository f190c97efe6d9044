// Token revocation (RFC 7009). The client authenticates (public clients by client_id alone,
// §5) and may revoke only its own tokens. The answer is the same 200 whether the token was
// revoked, already dead, unknown or another client's (§2.2): a revocation request never tells
// the caller anything about a token.
import { authenticateClient, type ClientAuthGuard } from "./client-auth";
import { InvalidRequest } from "./errors";
import { accessTokenRecord, refreshTokenRecord, searchOrder } from "./presented-token";
import type { OAuthClient, OAuthDeps } from "./types";

/**
 * A refresh token of this client: revoke its whole grant, i.e. the refresh token family and
 * the access tokens issued from it (§2.1: the server SHOULD also invalidate access tokens
 * based on the same authorization grant). True when the token was recognised.
 */
async function revokeRefreshToken(deps: OAuthDeps, client: OAuthClient, token: string): Promise<boolean> {
  const record = await refreshTokenRecord(deps, token);
  if (!record) return false;
  if (record.clientId !== client.id) return true; // another client's: leave it alone, say nothing
  await deps.stores.tokens.revokeGrant(record.grantId, deps.now());
  await deps.stores.audit.record({
    type: "token.revoked",
    subjectId: record.userId,
    clientId: client.id,
    data: { token_type: "refresh_token", grant_id: record.grantId },
  });
  return true;
}

/** An access token of this client: revoke it alone. An expired one has nothing left to revoke. */
async function revokeAccessToken(deps: OAuthDeps, client: OAuthClient, token: string): Promise<boolean> {
  const found = await accessTokenRecord(deps, token);
  if (!found) return false;
  const { record } = found;
  if (record.clientId !== client.id || record.revokedAt) return true;
  await deps.stores.tokens.revokeAccess(record.jti, deps.now());
  await deps.stores.audit.record({
    type: "token.revoked",
    subjectId: record.userId,
    clientId: client.id,
    data: { token_type: "access_token", jti: record.jti },
  });
  return true;
}

/** RFC 7009 §2.1. Resolves (-> 200) unless the request itself is bad. */
export async function revoke(
  deps: OAuthDeps,
  params: Map<string, string>,
  authorization: string | null,
  guard?: ClientAuthGuard,
): Promise<void> {
  const client = await authenticateClient(deps.stores, authorization, params, deps.now(), guard);
  const token = params.get("token");
  if (!token) throw new InvalidRequest("token is required");
  // We can revoke both kinds we issue, so unsupported_token_type (§2.2.1) never applies.
  for (const kind of searchOrder(params.get("token_type_hint"))) {
    const recognised =
      kind === "refresh_token" ? await revokeRefreshToken(deps, client, token) : await revokeAccessToken(deps, client, token);
    if (recognised) return;
  }
}
