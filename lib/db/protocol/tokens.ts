// Access and refresh tokens. Issuing and reading them is the token endpoint's and every token
// check's work: SQL, where single use and rotation are a conditional UPDATE in the transaction
// that records the new tokens (Sql.guarded), so of N concurrent redemptions exactly one wins.
// Revocation (a user, an admin or a replay revokes a grant) is rare: Prisma.
import type { Db } from "../client";
import type { Sql, Step } from "./sql";
import { GRANT_USER_COLUMNS, grantUser, str, type Row } from "./rows";
import type { AuditInput } from "../audit";
import { tokenAuditEvent } from "./token-audit";
import { countAuditEvent } from "../../ops/metrics";
import { clientsChanged } from "./client-cache";
import { isForeignKeyViolation } from "../errors";
import { timeOrderedId } from "../../crypto/ids";
import type { AccessRecord, NewAccessToken, NewRefreshToken, OAuthStores } from "../../oauth/types";
import { parseScope } from "../../oauth/scopes";
import { parseAmr } from "../../oauth/amr";

const INSERT_ACCESS =
  'INSERT INTO "AccessToken" ("jti", "grantId", "clientId", "userId", "scope", "createdAt", "expiresAt") VALUES (?, ?, ?, ?, ?, ?, ?)';
const accessParams = (a: NewAccessToken, now: Date) => [a.jti, a.grantId, a.clientId, a.userId, a.scope.join(" "), now, a.expiresAt];

const INSERT_REFRESH =
  'INSERT INTO "RefreshToken" ("id", "tokenHash", "grantId", "clientId", "userId", "sessionId", "scope", "resources", "authTime", "amr", "createdAt", "expiresAt", "absoluteExpiresAt", "replay") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';
const refreshParams = (id: string, r: NewRefreshToken, now: Date, replay: string | null) => [
  id, r.tokenHash, r.grantId, r.clientId, r.userId, r.sessionId, r.scope.join(" "), (r.resources ?? []).join(" "), r.authTime, r.amr.join(" "), now, r.expiresAt, r.absoluteExpiresAt, replay,
];

/**
 * Rotation: the presented token is retired, names its successor, and drops the response that
 * issued it (its own `replay`: a retry of its predecessor is over once it is used). One UPDATE,
 * the guard of the rotation's transaction.
 */
const ROTATE =
  'UPDATE "RefreshToken" SET "rotatedAt" = ?, "successorId" = ?, "replay" = NULL WHERE "id" = ? AND "rotatedAt" IS NULL AND "revokedAt" IS NULL';

/** An INTEGER column's largest value: "no bound" for CLAIM_REPLAY. */
const UNBOUNDED = 2 ** 31 - 1;

/**
 * A retry with the rotated token ?2 (lib/oauth/grants/refresh-replay.ts): counts first (by ?1:
 * 1, or 0 for a request that raced the rotation), then answers, in one statement. The successor's
 * count goes up only while ?2 was rotated after ?3 and is not revoked, and the successor is not
 * used (rotated), not revoked and was replayed fewer than ?4 times; the row it changed gives the
 * sealed response.
 */
const CLAIM_REPLAY = `UPDATE "RefreshToken" SET "replayCount" = "replayCount" + ?
  WHERE "id" = (SELECT "successorId" FROM "RefreshToken" WHERE "id" = ? AND "rotatedAt" > ? AND "revokedAt" IS NULL)
  AND "rotatedAt" IS NULL AND "revokedAt" IS NULL AND "replay" IS NOT NULL AND "replayCount" < ?
  RETURNING "replay"`;

const INSERT_AUDIT =
  'INSERT INTO "AuditEvent" ("id", "createdAt", "type", "actorId", "subjectId", "clientId", "ip", "data") VALUES (?, ?, ?, ?, ?, ?, ?, ?)';
const auditStep = (e: AuditInput, now: Date): Step => ({
  sql: INSERT_AUDIT,
  params: [timeOrderedId(), now, e.type, e.actorId ?? null, e.subjectId ?? null, e.clientId ?? null, e.ip ?? null, e.data ? JSON.stringify(e.data) : null],
});

/**
 * Revokes a grant's tokens (and drops their sealed responses). Sql.repeat runs these again until
 * a pass finds nothing left: on PostgreSQL (READ COMMITTED) a pass that waited on a row a
 * concurrent rotation held does not see the successor that rotation inserted; the next pass, a
 * new statement, does (RFC 9700 §4.14.2). So no token of the grant is live when it returns.
 */
const revokeGrantSteps = (grantId: string, now: Date): Step[] => [
  { sql: 'UPDATE "RefreshToken" SET "revokedAt" = ?, "replay" = NULL WHERE "grantId" = ? AND "revokedAt" IS NULL', params: [now, grantId] },
  { sql: 'UPDATE "AccessToken" SET "revokedAt" = ? WHERE "grantId" = ? AND "revokedAt" IS NULL', params: [now, grantId] },
];

// Every column but "replay" (the sealed response, ~2 KB, read only by claimReplay's RETURNING): a
// refresh reads its own row, which holds one, and had been decoding it for nothing.
const REFRESH_COLUMNS = ["id", "grantId", "clientId", "userId", "sessionId", "scope", "resources", "authTime", "amr", "createdAt", "expiresAt", "absoluteExpiresAt", "rotatedAt", "revokedAt"]
  .map((c) => `r."${c}"`)
  .join(", ");
const FIND_REFRESH_BY_HASH = `SELECT ${REFRESH_COLUMNS}, ${GRANT_USER_COLUMNS} FROM "RefreshToken" r JOIN "User" u ON u."id" = r."userId" WHERE r."tokenHash" = ?`;

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
          ...(refresh ? [{ sql: INSERT_REFRESH, params: refreshParams(timeOrderedId(), refresh, now, null) }] : []),
          auditStep(tokenAuditEvent("authorization_code", access, refresh !== null), now),
        ],
      );
    },
    rotateRefresh(id, now, access, refresh, replay) {
      const successorId = timeOrderedId();
      return sql.guarded({ sql: ROTATE, params: [now, successorId, id] }, [
        { sql: INSERT_ACCESS, params: accessParams(access, now) },
        { sql: INSERT_REFRESH, params: refreshParams(successorId, refresh, now, replay) },
        auditStep(tokenAuditEvent("refresh_token", access, true), now),
      ]);
    },
    async claimReplay(id, rotatedAfter, max) {
      const r = await sql.returning<{ replay: string }>(CLAIM_REPLAY, [max === null ? 0 : 1, id, rotatedAfter, max ?? UNBOUNDED]);
      return r?.replay ?? null;
    },
    async revokeOnReuse(grantId, now, who) {
      await sql.repeat(revokeGrantSteps(grantId, now), [auditStep({ type: "refresh.reuse_detected", subjectId: who.userId, clientId: who.clientId }, now)]);
      // The event went in with the revocation, not through audit(), which counts the others.
      countAuditEvent("refresh.reuse_detected");
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
      const r = await sql.one<Row>(FIND_REFRESH_BY_HASH, [tokenHash]);
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
        amr: parseAmr(str(r.amr)),
        createdAt: sql.date(r.createdAt),
        expiresAt: sql.date(r.expiresAt),
        absoluteExpiresAt: sql.date(r.absoluteExpiresAt),
        rotatedAt: sql.dateOrNull(r.rotatedAt),
        revokedAt: sql.dateOrNull(r.revokedAt),
        ...grantUser(r, String(r.userId), sql.date),
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
      await sql.repeat(revokeGrantSteps(grantId, now), []);
    },
    async revokeAccess(jti, now) {
      await db.accessToken.updateMany({ where: { jti, revokedAt: null }, data: { revokedAt: now } });
    },
  };
}
