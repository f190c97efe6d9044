// The claims a user's granted scopes disclose (OIDC Core §5.4): one builder for the UserInfo
// response (./userinfo.ts) and the ID token (./tokens.ts), so the two can never disagree.
//   profile -> name (when we have one; we keep no given_name/family_name), updated_at (§5.1:
//              seconds since the epoch)
//   email   -> email, email_verified (§5.1: false until the address is verified)
import { epochSeconds } from "./presented-token";
import type { OAuthClient, UserProfile } from "./types";

export interface UserClaims {
  name?: string;
  updated_at?: number;
  email?: string;
  email_verified?: boolean;
}

/** The profile and email claims that `scope` grants about `user` (OIDC Core §5.4). */
export function userClaims(user: UserProfile, scope: readonly string[]): UserClaims {
  const claims: UserClaims = {};
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

/**
 * The user claims an ID token carries: those of the granted scopes, unless the client was
 * registered without them (`idTokenUserClaims` off: only userinfo returns them). OIDC Core §5.4:
 * when no access token is issued (response_type=id_token) "the resulting Claims are returned in
 * the ID Token": then always, whatever the client's setting.
 */
export function idTokenUserClaims(
  client: Pick<OAuthClient, "idTokenUserClaims">,
  user: UserProfile,
  scope: readonly string[],
  accessTokenIssued: boolean,
): UserClaims {
  return client.idTokenUserClaims || !accessTokenIssued ? userClaims(user, scope) : {};
}
