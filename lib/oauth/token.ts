// The token endpoint (RFC 6749 §3.2): grant_type -> client authentication -> the grant.
import { authenticateClient, presentedCredentials } from "./client-auth";
import { InvalidRequest, OAuthError, TooManyRequests, UnsupportedGrantType } from "./errors";
import { noteClientError } from "./client-errors";
import { authorizationCodeGrant } from "./grants/authorization-code";
import { clientCredentialsGrant } from "./grants/client-credentials";
import { refreshTokenGrant } from "./grants/refresh-token";
import type { TokenResponse } from "./tokens";
import type { OAuthDeps } from "./types";
import type { ClientAuthGuard } from "./client-auth";

const GRANTS = {
  authorization_code: authorizationCodeGrant,
  refresh_token: refreshTokenGrant,
  client_credentials: clientCredentialsGrant,
} as const;

export async function tokenRequest(
  deps: OAuthDeps,
  params: Map<string, string>,
  authorization: string | null,
  guard?: ClientAuthGuard,
): Promise<TokenResponse> {
  const grantType = params.get("grant_type");
  if (!grantType) throw new InvalidRequest("grant_type is required");
  if (!Object.hasOwn(GRANTS, grantType)) throw new UnsupportedGrantType(`grant_type ${grantType} is not supported`);
  try {
    const client = await authenticateClient(deps.stores, authorization, params, deps.now(), guard);
    return await GRANTS[grantType as keyof typeof GRANTS](deps, client, params);
  } catch (err) {
    const clientId = presentedClientId(authorization, params);
    // A rate limit is not the client's mistake: it is not its "last error seen".
    if (err instanceof OAuthError && !(err instanceof TooManyRequests) && clientId) noteClientError(deps.stores, clientId, err.error, err.description, deps.now());
    throw err;
  }
}

/** Whose request this was, when that can be told (for "last error seen"); else null. */
function presentedClientId(authorization: string | null, params: Map<string, string>): string | null {
  try {
    return presentedCredentials(authorization, params).clientId;
  } catch {
    return null;
  }
}
