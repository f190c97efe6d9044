// Token introspection (RFC 7662). Only confidential clients, authenticated, may ask:
//  - an ordinary client, about its own tokens;
//  - an API's own credentials client (the protected resource, §2.1), about live access tokens
//    whose `aud` names that API, whichever client they were issued to; never a refresh token
//    (a resource server has no business with them) nor another API's token.
// Anything else (unknown, expired, revoked, rotated, someone else's) is {active:false} with
// nothing more, so the answer never tells why (§2.2, §4). The row is read on every call, so a
// revocation shows at once.
import { authenticateClient, type ClientAuthGuard } from "./client-auth";
import { InvalidClient, InvalidRequest } from "./errors";
import { accessTokenRecord, audienceIncludes, epochSeconds, inGoodStanding, refreshIsCurrent, refreshTokenRecord, searchOrder } from "./presented-token";
import { isPublicClient, type OAuthClient, type OAuthDeps } from "./types";

export interface InactiveToken {
  active: false;
}

/** RFC 7662 §2.2 for an access token (RFC 9068 claims). */
export interface ActiveAccessToken {
  active: true;
  scope: string;
  client_id: string;
  sub: string;
  exp: number;
  iat: number;
  iss: string;
  aud: string | string[];
  jti: string;
  token_type: "Bearer";
  username?: string;
  /** A user's token: when and how the user authenticated (RFC 9470 §6.2; RFC 9068 §2.2.1). */
  auth_time?: number;
  acr?: string;
  amr?: string[];
}

export interface ActiveRefreshToken {
  active: true;
  scope: string;
  client_id: string;
  sub: string;
  /** When it stops working if unused (capped by its absolute lifetime). */
  exp: number;
  iat: number;
  iss: string;
  token_type: "refresh_token";
}

export type IntrospectionResponse = InactiveToken | ActiveAccessToken | ActiveRefreshToken;

const INACTIVE: InactiveToken = { active: false };

async function asAccessToken(deps: OAuthDeps, caller: OAuthClient, token: string): Promise<IntrospectionResponse | null> {
  const found = await accessTokenRecord(deps, token);
  if (!found) return null; // not one of our live access tokens: try the other kind
  // §2.1: the API asks about tokens meant for it; a client about its own.
  const mayAsk = caller.resourceServer !== null ? audienceIncludes(found.claims.aud, caller.resourceServer) : found.record.clientId === caller.id;
  if (!mayAsk) return INACTIVE;
  const valid = await inGoodStanding(deps, found);
  if (!valid) return INACTIVE;
  const { claims, record, user } = valid;
  const r: ActiveAccessToken = {
    active: true,
    scope: record.scope.join(" "),
    client_id: valid.client.clientId,
    sub: claims.sub,
    exp: claims.exp,
    iat: claims.iat,
    iss: claims.iss,
    aud: claims.aud,
    jti: claims.jti,
    token_type: "Bearer",
  };
  if (user) r.username = user.email;
  // RFC 9470 §6.2: the resource server learns the token's acr and auth_time, as the JWT says.
  if (claims.auth_time !== undefined) r.auth_time = claims.auth_time;
  if (claims.acr !== undefined) r.acr = claims.acr;
  if (claims.amr !== undefined) r.amr = claims.amr;
  return r;
}

async function asRefreshToken(deps: OAuthDeps, caller: OAuthClient, token: string): Promise<IntrospectionResponse | null> {
  const record = await refreshTokenRecord(deps, token);
  if (!record) return null;
  const now = deps.now();
  if (caller.resourceServer !== null || record.clientId !== caller.id || !refreshIsCurrent(record, now)) return INACTIVE;
  const user = await deps.stores.users.findById(record.userId);
  if (!user || user.disabled) return INACTIVE;
  return {
    active: true,
    scope: record.scope.join(" "),
    client_id: caller.clientId,
    sub: record.userId,
    exp: Math.min(epochSeconds(record.expiresAt), epochSeconds(record.absoluteExpiresAt)),
    iat: epochSeconds(record.createdAt),
    iss: deps.issuer,
    token_type: "refresh_token",
  };
}

/** RFC 7662 §2.1 request -> §2.2 response. */
export async function introspect(
  deps: OAuthDeps,
  params: Map<string, string>,
  authorization: string | null,
  guard?: ClientAuthGuard,
): Promise<IntrospectionResponse> {
  const client = await authenticateClient(deps.stores, authorization, params, deps.now(), guard);
  // §2.1 / §4: the endpoint MUST require authorization; a public client proves nothing.
  if (isPublicClient(client)) throw new InvalidClient("Only confidential clients may introspect tokens");
  const token = params.get("token");
  if (!token) throw new InvalidRequest("token is required");

  for (const kind of searchOrder(params.get("token_type_hint"))) {
    const found = kind === "access_token" ? await asAccessToken(deps, client, token) : await asRefreshToken(deps, client, token);
    if (found) return found;
  }
  return INACTIVE;
}
