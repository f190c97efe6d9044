// Minting tokens: JWT access tokens (RFC 9068), ID tokens (OIDC Core §2, §3.1.3.6), opaque
// refresh tokens (stored as SHA-256). Records are built first (so that the grant can store
// them in its transaction), JWTs signed after.
import { createHash } from "node:crypto";
import { timeOrderedId } from "../crypto/ids";
import { randomToken, sha256 } from "../crypto/tokens";
import type { UserClaims } from "./user-claims";
import { acrFor } from "./amr";
import type { ApiRecord, NewAccessToken, NewRefreshToken, OAuthClient, OAuthDeps, SigningAlg } from "./types";

const seconds = (d: Date) => Math.floor(d.getTime() / 1000);

export interface GrantContext {
  client: OAuthClient;
  /** The user, or null for client_credentials. */
  userId: string | null;
  scope: string[];
  grantId: string | null;
  authTime: Date | null;
  /** How the user authenticated (RFC 8176; from the session, via the code and refresh token); [] for client_credentials. */
  amr: string[];
  /** The session's public sid (PortalSessionInfo.sid): the ID token's `sid` claim. Never the row id. */
  sessionId: string | null;
  /** The API the access token is for (RFC 8707 resource); absent or null: the issuer (userinfo). */
  api?: ApiRecord | null;
  /** A refresh token's: every resource of the grant (a refresh may narrow to one; never widen). */
  resources?: string[];
}

export interface PlannedAccessToken {
  record: NewAccessToken;
  claims: Record<string, unknown>;
  alg: SigningAlg;
  /** Seconds until it expires: the token response's expires_in (RFC 6749 §5.1). */
  expiresIn: number;
}

/**
 * How the user authenticated, for a token of a user: `acr` (derived from the amr: the session's
 * actual level, never merely the one requested) and `amr` (OIDC Core §2; RFC 9068 §2.2.1 allows
 * both in access tokens, RFC 9470 §6.1 asks for acr and auth_time there). A grant from before
 * amr was recorded has none: no `amr` (unknown), and the lowest `acr`, which never overclaims.
 */
function addAuthenticationClaims(claims: Record<string, unknown>, amr: readonly string[]): void {
  claims.acr = acrFor(amr);
  if (amr.length > 0) claims.amr = amr;
}

/**
 * RFC 9068 §2.2: iss, exp, aud, sub, client_id, iat, jti; plus scope, and for a user's token
 * auth_time, acr and amr (§2.2.1; RFC 9470 §6.1).
 * `aud` (RFC 9068 §3, RFC 8707 §2): the API's identifier when the token is for an API, and the
 * issuer as well when its scope has `openid`, so that the same token still works at userinfo;
 * the issuer alone otherwise. `exp`: the API's own lifetime when it sets one.
 */
export function planAccessToken(deps: OAuthDeps, ctx: GrantContext, now: Date): PlannedAccessToken {
  const jti = timeOrderedId();
  const api = ctx.api ?? null;
  const expiresIn = api?.accessTokenTtl ?? deps.lifetimes.accessToken;
  const expiresAt = new Date(now.getTime() + expiresIn * 1000);
  const claims: Record<string, unknown> = {
    iss: deps.issuer,
    // RFC 9068 §2.2: for client_credentials the subject is the client itself.
    sub: ctx.userId ?? ctx.client.clientId,
    aud: api === null ? deps.issuer : ctx.scope.includes("openid") ? [api.identifier, deps.issuer] : api.identifier,
    client_id: ctx.client.clientId,
    scope: ctx.scope.join(" "),
    iat: seconds(now),
    exp: seconds(expiresAt),
    jti,
  };
  if (ctx.userId !== null) {
    if (ctx.authTime) claims.auth_time = seconds(ctx.authTime);
    addAuthenticationClaims(claims, ctx.amr);
  }
  return {
    alg: ctx.client.signingAlg,
    expiresIn,
    claims,
    record: { jti, grantId: ctx.grantId, clientId: ctx.client.id, userId: ctx.userId, scope: ctx.scope, expiresAt },
  };
}

export function planRefreshToken(
  deps: OAuthDeps,
  ctx: GrantContext & { userId: string; grantId: string; authTime: Date },
  now: Date,
  absoluteExpiresAt?: Date,
): { token: string; record: NewRefreshToken } {
  const token = randomToken(32);
  const absolute = absoluteExpiresAt ?? new Date(now.getTime() + deps.lifetimes.refreshAbsolute * 1000);
  const idle = new Date(now.getTime() + deps.lifetimes.refreshIdle * 1000);
  return {
    token,
    record: {
      tokenHash: sha256(token),
      grantId: ctx.grantId,
      clientId: ctx.client.id,
      userId: ctx.userId,
      sessionId: ctx.sessionId,
      scope: ctx.scope,
      resources: ctx.resources ?? [],
      authTime: ctx.authTime,
      amr: ctx.amr,
      expiresAt: idle < absolute ? idle : absolute,
      absoluteExpiresAt: absolute,
    },
  };
}

/** OIDC Core §3.1.3.6: the left half of the hash of the access token (SHA-256 for ES256/RS256). */
export function atHash(accessToken: string): string {
  const digest = createHash("sha256").update(accessToken, "ascii").digest();
  return digest.subarray(0, digest.length / 2).toString("base64url");
}

export function signAccessToken(deps: OAuthDeps, planned: PlannedAccessToken): Promise<string> {
  return deps.keys.sign(planned.alg, planned.claims, "at+jwt");
}

/**
 * OIDC Core §2: the ID token, for the client (`aud`, `azp`), signed with its algorithm.
 * `accessToken`: the token issued with it, for `at_hash` (§3.1.3.6); null when none is
 * (response_type=id_token, §3.2.2.10: no at_hash). `user`: the profile/email claims it carries
 * (./user-claims.ts). `amr` and `acr` say how the user authenticated (§2): a refreshed ID token
 * repeats the original authentication's, as it does auth_time (§12.2).
 */
export function signIdToken(
  deps: Pick<OAuthDeps, "issuer" | "lifetimes" | "keys">,
  ctx: Pick<GrantContext, "client" | "sessionId" | "amr"> & { userId: string; authTime: Date },
  accessToken: string | null,
  nonce: string | null,
  now: Date,
  user: UserClaims = {},
): Promise<string> {
  const claims: Record<string, unknown> = {
    iss: deps.issuer,
    sub: ctx.userId,
    aud: ctx.client.clientId,
    azp: ctx.client.clientId,
    iat: seconds(now),
    exp: seconds(now) + deps.lifetimes.idToken,
    auth_time: seconds(ctx.authTime),
    ...user,
  };
  addAuthenticationClaims(claims, ctx.amr);
  if (accessToken !== null) claims.at_hash = atHash(accessToken);
  if (nonce) claims.nonce = nonce;
  if (ctx.sessionId) claims.sid = ctx.sessionId;
  return deps.keys.sign(ctx.client.signingAlg, claims, "JWT");
}

export interface TokenResponse {
  access_token: string;
  token_type: "Bearer";
  expires_in: number;
  scope: string;
  refresh_token?: string;
  id_token?: string;
}

/** RFC 6749 §5.1 */
export function tokenResponse(
  deps: OAuthDeps,
  scope: string[],
  accessToken: string,
  extra: { refreshToken?: string | null; idToken?: string | null; expiresIn?: number },
): TokenResponse {
  const r: TokenResponse = { access_token: accessToken, token_type: "Bearer", expires_in: extra.expiresIn ?? deps.lifetimes.accessToken, scope: scope.join(" ") };
  if (extra.refreshToken) r.refresh_token = extra.refreshToken;
  if (extra.idToken) r.id_token = extra.idToken;
  return r;
}
