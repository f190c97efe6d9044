// Access and refresh tokens. Issuing and reading them is the token endpoint's and every token
// check's work: SQL, where single use and rotation are a conditional UPDATE in the transaction
// that records the new tokens (Sql.guarded), so of N concurrent redemptions exactly one wins.
// Revocation (a user, an admin or a replay revokes a grant) is rare: Prisma.
import type { Db } from "../client";
import type { Sql, Step } from "./sql";
import { bool, str, type Row } from "./rows";
import type { AuditInput } from "../audit";
import { tokenAuditEvent } from "./token-audit";
import { clientsChanged } from "./client-cache";
import { isForeignKeyViolation } from "../errors";
import { timeOrderedId } from "../../crypto/ids";
import type { AccessRecord, NewAccessToken, NewRefreshToken, OAuthStores } from "../../oauth/types";
import { parseScope } from "../../oauth/scopes";

const INSERT_ACCESS =
  'INSERT INTO "AccessToken" ("jti", "grantId", "clientId", "userId", "scope", "createdAt", "expiresAt") VALUES (?, ?, ?, ?, ?, ?, ?)';
const accessParams = (a: NewAccessToken, now: Date) => [a.jti, a.grantId, a.clientId, a.userId, a.scope.join(" "), now, a.expiresAt];

const INSERT_REFRESH =
  'INSERT INTO "RefreshToken" ("id", "tokenHash", "grantId", "clientId", "userId", "sessionId", "scope", "resources", "authTime", "createdAt", "expiresAt", "absoluteExpiresAt") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';
const refreshParams = (r: NewRefreshToken, now: Date) => [
  timeOrderedId(), r.tokenHash, r.grantId, r.clientId, r.userId, r.sessionId, r.scope.join(" "), (r.resources ?? []).join(" "), r.authTime, now, r.expiresAt, r.absoluteExpiresAt,
];

const INSERT_AUDIT =
  'INSERT INTO "AuditEvent" ("id", "createdAt", "type", "actorId", "subjectId", "clientId", "ip", "data") VALUES (?, ?, ?, ?, ?, ?, ?, ?)';
const auditStep = (e: AuditInput, now: Date): Step => ({
  sql: INSERT_AUDIT,
  params: [timeOrderedId(), now, e.type, e.actorId ?? null, e.subjectId ?? null, e.clientId ?? null, e.ip ?? null, e.data ? JSON.stringify(e.data) : null],
});

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

export function protocolTokens(db: Db, sql: Sql): OAuthStores["tokens"] {
  return {
    redeemCode(codeId, now, access, refresh) {
      return sql.guarded(
        // Not consumed and not expired at this instant: a revocation (lib/db/grants.ts expires
        // unused codes) that commits after the grant read the code still wins.
        {
          sql: 'UPDATE "AuthorizationCode" SET "consumedAt" = ? WHERE "id" = ? AND "consumedAt" IS NULL AND "expiresAt" > ?',
          params: [now, codeId, now],
        },
        [
          { sql: INSERT_ACCESS, params: accessParams(access, now) },
          ...(refresh ? [{ sql: INSERT_REFRESH, params: refreshParams(refresh, now) }] : []),
          auditStep(tokenAuditEvent("authorization_code", access, refresh !== null), now),
        ],
      );
    },
    rotateRefresh(id, now, access, refresh) {
      return sql.guarded(
        { sql: 'UPDATE "RefreshToken" SET "rotatedAt" = ? WHERE "id" = ? AND "rotatedAt" IS NULL AND "revokedAt" IS NULL', params: [now, id] },
        [
          { sql: INSERT_ACCESS, params: accessParams(access, now) },
          { sql: INSERT_REFRESH, params: refreshParams(refresh, now) },
          auditStep(tokenAuditEvent("refresh_token", access, true), now),
        ],
      );
    },
    async recordAccess(access) {
      const now = new Date();
      try {
        await sql.batch([
          { sql: INSERT_ACCESS, params: accessParams(access, now) },
          auditStep(tokenAuditEvent("client_credentials", access, false), now),
        ]);
        return true;
      } catch (err) {
        if (!isForeignKeyViolation(err)) throw err;
        // The client was deleted after it was read (by another process, within the cache's TTL).
        clientsChanged();
        return false;
      }
    },
    async findRefreshByHash(tokenHash) {
      const r = await sql.one<Row>(
        'SELECT r.*, u."disabled" AS "userDisabled" FROM "RefreshToken" r JOIN "User" u ON u."id" = r."userId" WHERE r."tokenHash" = ?',
        [tokenHash],
      );
      if (!r) return null;
      return {
        id: String(r.id),
        grantId: String(r.grantId),
        clientId: String(r.clientId),
        userId: String(r.userId),
        sessionId: str(r.sessionId),
        scope: parseScope(String(r.scope)),
        resources: parseScope(String(r.resources)),
        authTime: sql.date(r.authTime),
        createdAt: sql.date(r.createdAt),
        expiresAt: sql.date(r.expiresAt),
        absoluteExpiresAt: sql.date(r.absoluteExpiresAt),
        rotatedAt: sql.dateOrNull(r.rotatedAt),
        revokedAt: sql.dateOrNull(r.revokedAt),
        userActive: !bool(r.userDisabled),
      };
    },
    async findAccess(jti): Promise<AccessRecord | null> {
      const a = await sql.one<Row>('SELECT * FROM "AccessToken" WHERE "jti" = ?', [jti]);
      if (!a) return null;
      return {
        jti: String(a.jti),
        grantId: str(a.grantId),
        clientId: String(a.clientId),
        userId: str(a.userId),
        scope: parseScope(String(a.scope)),
        expiresAt: sql.date(a.expiresAt),
        revokedAt: sql.dateOrNull(a.revokedAt),
      };
    },
    async revokeGrant(grantId, now) {
      await revokeGrantTokens(db, grantId, now);
    },
    async revokeAccess(jti, now) {
      await db.accessToken.updateMany({ where: { jti, revokedAt: null }, data: { revokedAt: now } });
    },
  };
}
