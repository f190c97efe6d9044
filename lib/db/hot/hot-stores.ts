// The OAuth stores on the hot paths (token endpoint, authorize with consent given, token
// checks), as prepared SQL through lib/db/hot/sql.ts. Same contracts as the Prisma versions in
// lib/db/oauth-stores.ts (and the same tests run against both): single use and rotation are a
// conditional UPDATE in the transaction that records the new tokens.
import { timeOrderedId } from "../../crypto/ids";
import type { Sql, Step } from "./sql";
import type { AuditInput } from "../audit";
import { tokenAuditEvent } from "../token-audit";
import type { AuthMethod, GrantType } from "../../oauth/client-metadata";
import type { AccessRecord, NewAccessToken, NewRefreshToken, OAuthClient, OAuthStores, SigningAlg } from "../../oauth/types";
import { parseScope } from "../../oauth/scopes";
import { clientCache, clientsChanged } from "./client-cache";
import { isForeignKeyViolation } from "../errors";

type Row = Record<string, unknown>;
const str = (v: unknown) => (v == null ? null : String(v));
const bool = (v: unknown) => v === true || v === 1 || v === 1n;

const INSERT_ACCESS =
  'INSERT INTO "AccessToken" ("jti", "grantId", "clientId", "userId", "scope", "createdAt", "expiresAt") VALUES (?, ?, ?, ?, ?, ?, ?)';
const accessParams = (a: NewAccessToken, now: Date) => [a.jti, a.grantId, a.clientId, a.userId, a.scope.join(" "), now, a.expiresAt];

const INSERT_REFRESH =
  'INSERT INTO "RefreshToken" ("id", "tokenHash", "grantId", "clientId", "userId", "sessionId", "scope", "authTime", "createdAt", "expiresAt", "absoluteExpiresAt") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';
const refreshParams = (r: NewRefreshToken, now: Date) => [
  timeOrderedId(), r.tokenHash, r.grantId, r.clientId, r.userId, r.sessionId, r.scope.join(" "), r.authTime, now, r.expiresAt, r.absoluteExpiresAt,
];

const INSERT_AUDIT =
  'INSERT INTO "AuditEvent" ("id", "createdAt", "type", "actorId", "subjectId", "clientId", "ip", "data") VALUES (?, ?, ?, ?, ?, ?, ?, ?)';
const auditStep = (e: AuditInput, now: Date): Step => ({
  sql: INSERT_AUDIT,
  params: [timeOrderedId(), now, e.type, e.actorId ?? null, e.subjectId ?? null, e.clientId ?? null, e.ip ?? null, e.data ? JSON.stringify(e.data) : null],
});

export type HotStores = {
  clients: OAuthStores["clients"];
  users: OAuthStores["users"];
  sessions: OAuthStores["sessions"];
  consents: Pick<OAuthStores["consents"], "find">;
  codes: OAuthStores["codes"];
  tokens: Pick<OAuthStores["tokens"], "redeemCode" | "rotateRefresh" | "recordAccess" | "findRefreshByHash" | "findAccess">;
};

export function hotStores(sql: Sql): HotStores {
  const clients = clientCache<OAuthClient>();
  async function loadClient(clientId: string): Promise<OAuthClient | null> {
    const c = await sql.one<Row>(
      'SELECT c."id", c."clientId", c."name", c."logoUrl", c."homepageUrl", c."verified", c."tokenEndpointAuthMethod", c."secretHash", c."previousSecretHash", c."previousSecretExpiresAt", c."redirectUris", c."postLogoutRedirectUris", c."scopes", c."grantTypes", c."requirePkce", c."idTokenSignedResponseAlg", c."suspended", u."name" AS "ownerNameCol", u."email" AS "ownerEmail" FROM "Client" c LEFT JOIN "User" u ON u."id" = c."ownerId" WHERE c."clientId" = ?',
      [clientId],
    );
    if (!c) return null;
    return {
      id: String(c.id),
      clientId: String(c.clientId),
      name: String(c.name),
      ownerName: str(c.ownerNameCol) ?? str(c.ownerEmail),
      logoUrl: str(c.logoUrl),
      homepageUrl: str(c.homepageUrl),
      verified: bool(c.verified),
      tokenEndpointAuthMethod: c.tokenEndpointAuthMethod as AuthMethod,
      secretHash: str(c.secretHash),
      previousSecretHash: str(c.previousSecretHash),
      previousSecretExpiresAt: sql.dateOrNull(c.previousSecretExpiresAt),
      redirectUris: JSON.parse(String(c.redirectUris)) as string[],
      postLogoutRedirectUris: JSON.parse(String(c.postLogoutRedirectUris)) as string[],
      scopes: parseScope(String(c.scopes)),
      grantTypes: parseScope(String(c.grantTypes)) as GrantType[],
      requirePkce: bool(c.requirePkce),
      signingAlg: c.idTokenSignedResponseAlg as SigningAlg,
      suspended: bool(c.suspended),
    };
  }

  return {
    clients: {
      findByClientId(clientId) {
        return clients.get(clientId, () => loadClient(clientId));
      },
    },
    users: {
      async findById(id) {
        const u = await sql.one<Row>('SELECT "id", "email", "name", "emailVerified", "disabled", "updatedAt" FROM "User" WHERE "id" = ?', [id]);
        return u
          ? { id: String(u.id), email: String(u.email), name: str(u.name), emailVerified: bool(u.emailVerified), disabled: bool(u.disabled), updatedAt: sql.date(u.updatedAt) }
          : null;
      },
    },
    sessions: {
      async findActive(id) {
        const s = await sql.one<Row>(
          'SELECT s."id", s."publicSid", s."userId", s."authTime", s."expiresAt", s."revokedAt", u."disabled", u."mustResetPassword" FROM "PortalSession" s JOIN "User" u ON u."id" = s."userId" WHERE s."id" = ?',
          [id],
        );
        // A user an admin told to reset the password signs in, but gets no codes until it is done.
        if (!s || s.revokedAt != null || sql.date(s.expiresAt) <= new Date() || bool(s.disabled) || bool(s.mustResetPassword)) return null;
        return { id: String(s.id), sid: String(s.publicSid), userId: String(s.userId), authTime: sql.date(s.authTime) };
      },
    },
    consents: {
      async find(userId, clientId) {
        const c = await sql.one<Row>('SELECT "scopes", "revokedAt" FROM "Consent" WHERE "userId" = ? AND "clientId" = ?', [userId, clientId]);
        return c && c.revokedAt == null ? parseScope(String(c.scopes)) : null;
      },
    },
    codes: {
      async create(c) {
        await sql.run(
          'INSERT INTO "AuthorizationCode" ("id", "codeHash", "grantId", "clientId", "userId", "sessionId", "redirectUri", "redirectUriGiven", "scope", "nonce", "codeChallenge", "codeChallengeMethod", "authTime", "createdAt", "expiresAt") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
          [c.id, c.codeHash, c.grantId, c.clientId, c.userId, c.sessionId, c.redirectUri, c.redirectUriGiven, c.scope.join(" "), c.nonce, c.codeChallenge, c.codeChallengeMethod, c.authTime, new Date(), c.expiresAt],
        );
      },
      async findByHash(codeHash) {
        const c = await sql.one<Row>(
          'SELECT c.*, u."disabled" AS "userDisabled" FROM "AuthorizationCode" c JOIN "User" u ON u."id" = c."userId" WHERE c."codeHash" = ?',
          [codeHash],
        );
        if (!c) return null;
        return {
          id: String(c.id),
          grantId: String(c.grantId),
          clientId: String(c.clientId),
          userId: String(c.userId),
          sessionId: str(c.sessionId),
          redirectUri: String(c.redirectUri),
          redirectUriGiven: bool(c.redirectUriGiven),
          scope: parseScope(String(c.scope)),
          nonce: str(c.nonce),
          codeChallenge: str(c.codeChallenge),
          codeChallengeMethod: str(c.codeChallengeMethod),
          authTime: sql.date(c.authTime),
          expiresAt: sql.date(c.expiresAt),
          consumedAt: sql.dateOrNull(c.consumedAt),
          userActive: !bool(c.userDisabled),
        };
      },
    },
    tokens: {
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
    },
  };
}
