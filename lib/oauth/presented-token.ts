// Tokens presented back to us (UserInfo, introspection, revocation): which token it is, whose,
// and whether it is still good. Access tokens are JWTs (RFC 9068) with a row per jti; refresh
// tokens are opaque and found by their SHA-256. Every "no" here is just null: callers decide
// what to say (invalid_token, active:false, or a silent 200), and never say why.
import { z } from "zod";
import { sha256 } from "../crypto/tokens";
import type { AccessRecord, OAuthClient, OAuthDeps, OAuthUser, RefreshRecord } from "./types";

/** Longer than any token we issue; anything longer is not ours and not worth a lookup. */
const MAX_TOKEN_LENGTH = 8192;
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** RFC 9068 §2.2 claims, as we issue them. */
const accessClaimsSchema = z.object({
  iss: z.string(),
  sub: z.string(),
  aud: z.union([z.string(), z.array(z.string())]),
  client_id: z.string(),
  scope: z.string().default(""),
  exp: z.number(),
  iat: z.number(),
  jti: z.string().min(1),
  auth_time: z.number().optional(),
  // RFC 9068 §2.2.1 (a user's tokens; ./tokens.ts)
  acr: z.string().optional(),
  amr: z.array(z.string()).optional(),
});

export type AccessClaims = z.infer<typeof accessClaimsSchema>;

export const epochSeconds = (d: Date) => Math.floor(d.getTime() / 1000);

/** Whether a token's `aud` (a string or a list, RFC 7519 §4.1.3) names `audience`. */
export const audienceIncludes = (aud: string | string[], audience: string) => (typeof aud === "string" ? aud === audience : aud.includes(audience));

/**
 * The signed claims and the row of an access token we issued: signature, typ `at+jwt`, issuer
 * and expiry checked (RFC 9068 §4). Not the audience: a token for an API (RFC 8707) is still
 * ours to revoke and to introspect; whoever uses it checks `aud` (audienceIncludes). The row may
 * be revoked: see validAccessToken.
 */
export async function accessTokenRecord(
  deps: Pick<OAuthDeps, "issuer" | "keys" | "stores" | "now">,
  token: string,
): Promise<{ claims: AccessClaims; record: AccessRecord } | null> {
  if (token.length > MAX_TOKEN_LENGTH || !JWT_SHAPE.test(token)) return null;
  let raw: Record<string, unknown>;
  try {
    raw = await deps.keys.verify(token, { typ: "at+jwt" });
  } catch {
    return null;
  }
  const parsed = accessClaimsSchema.safeParse(raw);
  if (!parsed.success) return null;
  const claims = parsed.data;
  // The key ring checks exp on its own clock; the protocol clock has the last word.
  if (claims.exp <= epochSeconds(deps.now())) return null;
  const record = await deps.stores.tokens.findAccess(claims.jti);
  return record ? { claims, record } : null;
}

export interface ValidAccessToken {
  claims: AccessClaims;
  record: AccessRecord;
  client: OAuthClient;
  /** Null for client_credentials tokens (no user). */
  user: OAuthUser | null;
}

/** An access token that may be used right now: not revoked, client and user still in good standing. */
export async function validAccessToken(deps: OAuthDeps, token: string): Promise<ValidAccessToken | null> {
  const found = await accessTokenRecord(deps, token);
  return found ? inGoodStanding(deps, found) : null;
}

/** The checks of validAccessToken after the signature: the row, the client, the user. */
export async function inGoodStanding(
  deps: OAuthDeps,
  { claims, record }: { claims: AccessClaims; record: AccessRecord },
): Promise<ValidAccessToken | null> {
  if (record.revokedAt || record.expiresAt <= deps.now()) return null;
  const client = await deps.stores.clients.findByClientId(claims.client_id);
  if (!client || client.suspended || client.id !== record.clientId) return null;
  if (!record.userId) return { claims, record, client, user: null };
  if (claims.sub !== record.userId) return null;
  const user = await deps.stores.users.findById(record.userId);
  if (!user || user.disabled) return null;
  return { claims, record, client, user };
}

/** The row of a refresh token (opaque; looked up by hash), whatever its state. */
export async function refreshTokenRecord(deps: Pick<OAuthDeps, "stores">, token: string): Promise<RefreshRecord | null> {
  if (token.length > MAX_TOKEN_LENGTH) return null;
  return deps.stores.tokens.findRefreshByHash(sha256(token));
}

/** Usable for a refresh right now: not revoked, not rotated, within both its idle and absolute lifetime. */
export function refreshIsCurrent(r: RefreshRecord, now: Date): boolean {
  return !r.revokedAt && !r.rotatedAt && r.expiresAt > now && r.absoluteExpiresAt > now;
}

export type TokenTypeHint = "access_token" | "refresh_token";

/**
 * RFC 7009 §2.1 / RFC 7662 §2.1: the hint only orders the search; an unknown hint value is
 * ignored (the server MAY ignore it), and a wrong hint still finds the token.
 */
export function searchOrder(hint: string | undefined): TokenTypeHint[] {
  return hint === "refresh_token" ? ["refresh_token", "access_token"] : ["access_token", "refresh_token"];
}
