// UserInfo endpoint (OIDC Core §5.3), a protected resource under RFC 6750: the bearer token
// comes from the Authorization header or, for POST, the form body (never the query).
import { InsufficientScope, InvalidRequest, InvalidToken } from "./errors";
import { audienceIncludes, epochSeconds, validAccessToken } from "./presented-token";
import type { OAuthDeps } from "./types";

/** RFC 6750 §2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=" */
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

/**
 * The access token of a request, or null when it presents none (RFC 6750 §2). A header with
 * another scheme (e.g. Basic) presents no bearer token; sending the token two ways, or a
 * malformed Bearer header, is invalid_request (§2, §3.1).
 */
export function bearerToken(authorization: string | null, formToken: string | null): string | null {
  let headerToken: string | null = null;
  if (authorization !== null && /^bearer(\s|$)/i.test(authorization)) {
    headerToken = authorization.slice(6).trim();
    if (!B64TOKEN.test(headerToken)) throw new InvalidRequest("The Authorization header is not a valid Bearer credential");
  }
  if (headerToken !== null && formToken !== null) {
    throw new InvalidRequest("Send the access token in only one way");
  }
  return headerToken ?? formToken;
}

export interface UserInfoResponse {
  sub: string;
  name?: string;
  updated_at?: number;
  email?: string;
  email_verified?: boolean;
}

const INVALID = "The access token is invalid, expired or revoked";

/** OIDC Core §5.3.2: the claims the token's scopes allow (§5.4), for the token's user. */
export async function userinfo(deps: OAuthDeps, token: string): Promise<UserInfoResponse> {
  const found = await validAccessToken(deps, token);
  // RFC 9068 §4 / RFC 8707: a token for an API alone is not for us (RFC 6750 §3.1: invalid_token).
  if (!found || !audienceIncludes(found.claims.aud, deps.issuer)) throw new InvalidToken(INVALID);
  const scope = found.record.scope;
  // §5.3: the access token must have been obtained through an OpenID Connect request.
  if (!scope.includes("openid")) throw new InsufficientScope("The access token does not carry the openid scope");
  const user = found.user;
  if (!user) throw new InvalidToken("The access token was not issued for a user");

  const claims: UserInfoResponse = { sub: user.id };
  if (scope.includes("profile")) {
    if (user.name) claims.name = user.name;
    claims.updated_at = epochSeconds(user.updatedAt);
  }
  if (scope.includes("email")) {
    claims.email = user.email;
    claims.email_verified = user.emailVerified;
  }
  return claims;
}
