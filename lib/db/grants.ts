// Revoking grants: what a user gave a client (consent, codes, refresh and access tokens).
// Shared by Connected apps (one user, one client), the admin console (one grant, all of a
// client's, all of a user's) and client deletion. Takes effect at once: the token endpoint,
// userinfo and introspection all read these rows (RFC 7009 §2.2: revoked tokens are invalid
// immediately), and access tokens are checked against their row, not only their signature.
import type { Tx } from "./client";

/** Whose grants: one user's, one client's, or one user's at one client (at least one is required). */
export interface GrantScope {
  userId?: string;
  clientId?: string; // internal client row id
}

export interface GrantCounts {
  consents: number;
  codes: number;
  refreshTokens: number;
  accessTokens: number;
}

function where(s: GrantScope) {
  if (!s.userId && !s.clientId) throw new Error("grant scope needs a userId or a clientId");
  return { ...(s.userId ? { userId: s.userId } : {}), ...(s.clientId ? { clientId: s.clientId } : {}) };
}

/** What revoke() would revoke now: active consents, unredeemed codes, live tokens. */
export async function previewRevocation(tx: Tx, scope: GrantScope, now = new Date()): Promise<GrantCounts> {
  const w = where(scope);
  const [consents, codes, refreshTokens, accessTokens] = await Promise.all([
    tx.consent.count({ where: { ...w, revokedAt: null } }),
    tx.authorizationCode.count({ where: { ...w, consumedAt: null, expiresAt: { gt: now } } }),
    tx.refreshToken.count({ where: { ...w, revokedAt: null, rotatedAt: null, expiresAt: { gt: now } } }),
    tx.accessToken.count({ where: { ...w, revokedAt: null, expiresAt: { gt: now } } }),
  ]);
  return { consents, codes, refreshTokens, accessTokens };
}

/**
 * Revokes consents, codes and tokens in `scope`. Call inside the transaction that also writes the
 * audit event. Unredeemed codes are expired (a later redemption fails with invalid_grant, and
 * is not mistaken for a replay); refresh and access tokens get revokedAt. Returns how many rows
 * changed.
 *
 * Token updates repeat until a pass finds nothing: on PostgreSQL (READ COMMITTED) a redemption
 * that committed while the first pass ran may have inserted tokens the first pass did not see.
 */
export async function revokeGrants(tx: Tx, scope: GrantScope, now = new Date()): Promise<GrantCounts> {
  const w = where(scope);
  const consents = await tx.consent.updateMany({ where: { ...w, revokedAt: null }, data: { revokedAt: now } });
  const codes = await tx.authorizationCode.updateMany({
    where: { ...w, consumedAt: null, expiresAt: { gt: now } },
    data: { expiresAt: now },
  });
  let refreshTokens = 0;
  let accessTokens = 0;
  for (let pass = 0; pass < 5; pass++) {
    const r = await tx.refreshToken.updateMany({ where: { ...w, revokedAt: null }, data: { revokedAt: now } });
    const a = await tx.accessToken.updateMany({ where: { ...w, revokedAt: null }, data: { revokedAt: now } });
    refreshTokens += r.count;
    accessTokens += a.count;
    if (r.count + a.count === 0) break;
  }
  return { consents: consents.count, codes: codes.count, refreshTokens, accessTokens };
}
