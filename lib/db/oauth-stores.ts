// The protocol core's stores (lib/oauth/types.ts) on Prisma. Single-use and rotation are
// conditional UPDATEs inside the transaction that records the new tokens, so that of N
// concurrent redemptions exactly one wins, on SQLite and on PostgreSQL alike.
import type { Db } from "./client";
import { audit, auditRow } from "./audit";
import { tokenAuditEvent } from "./token-audit";
import { isForeignKeyViolation, isUniqueViolation } from "./errors";
import type { HotStores } from "./hot/hot-stores";
import type {
  AccessRecord,
  AuthorizationParams,
  NewAccessToken,
  NewRefreshToken,
  OAuthClient,
  OAuthStores,
  RefreshRecord,
  SigningAlg,
} from "../oauth/types";
import type { AuthMethod, GrantType } from "../oauth/client-metadata";
import { parseScope } from "../oauth/scopes";

type ClientRow = Awaited<ReturnType<Db["client"]["findUnique"]>> & {};

export function toOAuthClient(c: ClientRow, ownerName: string | null): OAuthClient {
  return {
    id: c.id,
    clientId: c.clientId,
    name: c.name,
    ownerName,
    logoUrl: c.logoUrl,
    homepageUrl: c.homepageUrl,
    verified: c.verified,
    tokenEndpointAuthMethod: c.tokenEndpointAuthMethod as AuthMethod,
    secretHash: c.secretHash,
    previousSecretHash: c.previousSecretHash,
    previousSecretExpiresAt: c.previousSecretExpiresAt,
    redirectUris: JSON.parse(c.redirectUris) as string[],
    postLogoutRedirectUris: JSON.parse(c.postLogoutRedirectUris) as string[],
    scopes: parseScope(c.scopes),
    grantTypes: parseScope(c.grantTypes) as GrantType[],
    requirePkce: c.requirePkce,
    signingAlg: c.idTokenSignedResponseAlg as SigningAlg,
    suspended: c.suspended,
  };
}

const accessData = (a: NewAccessToken) => ({ ...a, scope: a.scope.join(" ") });
const refreshData = (r: NewRefreshToken) => ({ ...r, scope: r.scope.join(" ") });

type RefreshRow = NonNullable<Awaited<ReturnType<Db["refreshToken"]["findUnique"]>>>;

function toRefresh(r: RefreshRow & { user: { disabled: boolean } }): RefreshRecord {
  const { tokenHash: _hash, user, ...rest } = r;
  return { ...rest, scope: parseScope(r.scope), userActive: !user.disabled };
}

/**
 * Revokes a grant's tokens. Repeated until a pass finds nothing left: on PostgreSQL (READ
 * COMMITTED) a pass that waited on a row a concurrent rotation held does not see the successor
 * that rotation inserted; the next pass, a new statement, does (RFC 9700 §4.14.2).
 */
async function revokeGrantTokens(db: Db, grantId: string, now: Date) {
  for (let pass = 0; pass < 5; pass++) {
    const r = await db.refreshToken.updateMany({ where: { grantId, revokedAt: null }, data: { revokedAt: now } });
    const a = await db.accessToken.updateMany({ where: { grantId, revokedAt: null }, data: { revokedAt: now } });
    if (r.count + a.count === 0) return;
  }
}

/**
 * The stores on `db` (Prisma). With `hot` (lib/db/hot), the methods on the hot paths run as
 * prepared SQL instead; the rest stay on Prisma.
 */
export function oauthStores(db: Db, hot?: HotStores): OAuthStores {
  const s = prismaStores(db);
  if (!hot) return s;
  return {
    ...s,
    clients: { ...s.clients, ...hot.clients },
    users: hot.users,
    sessions: hot.sessions,
    consents: { ...s.consents, ...hot.consents },
    codes: hot.codes,
    tokens: { ...s.tokens, ...hot.tokens },
  };
}

function prismaStores(db: Db): OAuthStores {
  return {
    clients: {
      async findByClientId(clientId) {
        const c = await db.client.findUnique({ where: { clientId }, include: { owner: { select: { name: true, email: true } } } });
        return c ? toOAuthClient(c, c.owner ? (c.owner.name ?? c.owner.email) : null) : null;
      },
      async recordError(clientId, message, at) {
        await db.client.updateMany({ where: { clientId }, data: { lastError: message, lastErrorAt: at } });
      },
    },
    users: {
      findById(id) {
        return db.user.findUnique({
          where: { id },
          select: { id: true, email: true, name: true, emailVerified: true, disabled: true, updatedAt: true },
        });
      },
    },
    sessions: {
      async findActive(id) {
        const s = await db.portalSession.findUnique({ where: { id }, include: { user: { select: { disabled: true, mustResetPassword: true } } } });
        // A user an admin told to reset the password signs in, but gets no codes until it is done.
        if (!s || s.revokedAt || s.expiresAt <= new Date() || s.user.disabled || s.user.mustResetPassword) return null;
        return { id: s.id, sid: s.publicSid, userId: s.userId, authTime: s.authTime };
      },
    },
    consents: {
      async find(userId, clientId) {
        const c = await db.consent.findUnique({ where: { userId_clientId: { userId, clientId } } });
        return c && !c.revokedAt ? parseScope(c.scopes) : null;
      },
      /**
       * Adds scopes to the consent. Two grants at once must not lose either's scopes: the update
       * only applies if the row is as read (its scopes and revocation unchanged), else it is read again;
       * two first grants at once meet the unique key, and the loser retries as an update.
       */
      async grant(userId, clientId, scopes) {
        const key = { userId_clientId: { userId, clientId } };
        for (let attempt = 0; ; attempt++) {
          try {
            const done = await db.$transaction(async (tx) => {
              const existing = await tx.consent.findUnique({ where: key });
              const kept = existing && !existing.revokedAt ? parseScope(existing.scopes) : [];
              const all = [...new Set([...kept, ...scopes])].join(" ");
              if (existing) {
                const r = await tx.consent.updateMany({
                  where: { id: existing.id, scopes: existing.scopes, revokedAt: existing.revokedAt },
                  data: { scopes: all, revokedAt: null },
                });
                if (r.count !== 1) return false;
              } else {
                await tx.consent.create({ data: { userId, clientId, scopes: all } });
              }
              await audit(tx, { type: "consent.granted", actorId: userId, subjectId: userId, clientId, data: { scope: scopes.join(" ") } });
              return true;
            });
            if (done) return;
          } catch (err) {
            if (!isUniqueViolation(err) || attempt >= 20) throw err;
          }
          if (attempt >= 20) throw new Error("consent update kept conflicting");
          // Spread the retries of concurrent grants so that they stop colliding.
          await new Promise((r) => setTimeout(r, Math.random() * 5 * (attempt + 1)));
        }
      },
    },
    requests: {
      async create(r) {
        await db.authorizationRequest.create({ data: { ...r, params: JSON.stringify(r.params) } });
      },
      async find(id) {
        const r = await db.authorizationRequest.findUnique({ where: { id } });
        return r ? { ...r, params: JSON.parse(r.params) as AuthorizationParams } : null;
      },
      async bindSession(id, sessionId) {
        const bound = await db.authorizationRequest.updateMany({ where: { id, sessionId: null }, data: { sessionId } });
        if (bound.count === 1) return true;
        const r = await db.authorizationRequest.findUnique({ where: { id }, select: { sessionId: true } });
        return r?.sessionId === sessionId;
      },
      async consume(id, now) {
        const r = await db.authorizationRequest.updateMany({ where: { id, consumedAt: null }, data: { consumedAt: now } });
        return r.count === 1;
      },
    },
    codes: {
      async create(c) {
        await db.authorizationCode.create({ data: { ...c, scope: c.scope.join(" ") } });
      },
      async findByHash(codeHash) {
        const c = await db.authorizationCode.findUnique({ where: { codeHash }, include: { user: { select: { disabled: true } } } });
        if (!c) return null;
        const { codeHash: _h, createdAt: _c, user, ...rest } = c;
        return { ...rest, scope: parseScope(c.scope), userActive: !user.disabled };
      },
    },
    tokens: {
      async redeemCode(codeId, now, access, refresh) {
        return db.$transaction(async (tx) => {
          // Not consumed and not expired at this instant (a concurrent revocation expires codes).
          const won = await tx.authorizationCode.updateMany({
            where: { id: codeId, consumedAt: null, expiresAt: { gt: now } },
            data: { consumedAt: now },
          });
          if (won.count !== 1) return false;
          await tx.accessToken.create({ data: accessData(access) });
          if (refresh) await tx.refreshToken.create({ data: refreshData(refresh) });
          await audit(tx, tokenAuditEvent("authorization_code", access, refresh !== null));
          return true;
        });
      },
      async rotateRefresh(id, now, access, refresh) {
        return db.$transaction(async (tx) => {
          const won = await tx.refreshToken.updateMany({
            where: { id, rotatedAt: null, revokedAt: null },
            data: { rotatedAt: now },
          });
          if (won.count !== 1) return false;
          await tx.accessToken.create({ data: accessData(access) });
          await tx.refreshToken.create({ data: refreshData(refresh) });
          await audit(tx, tokenAuditEvent("refresh_token", access, true));
          return true;
        });
      },
      async recordAccess(access) {
        try {
          await db.$transaction([
            db.accessToken.create({ data: accessData(access) }),
            db.auditEvent.create({ data: auditRow(tokenAuditEvent("client_credentials", access, false)) }),
          ]);
          return true;
        } catch (err) {
          if (isForeignKeyViolation(err)) return false;
          throw err;
        }
      },
      async findRefreshByHash(tokenHash) {
        const r = await db.refreshToken.findUnique({ where: { tokenHash }, include: { user: { select: { disabled: true } } } });
        return r ? toRefresh(r) : null;
      },
      async findAccess(jti): Promise<AccessRecord | null> {
        const a = await db.accessToken.findUnique({ where: { jti } });
        return a ? { ...a, scope: parseScope(a.scope) } : null;
      },
      async revokeGrant(grantId, now) {
        await revokeGrantTokens(db, grantId, now);
      },
      async revokeAccess(jti, now) {
        await db.accessToken.updateMany({ where: { jti, revokedAt: null }, data: { revokedAt: now } });
      },
    },
    audit: {
      record(e) {
        return audit(db, e);
      },
    },
  };
}
