// Authorization codes: written by every authorization that ends in a code, read by every
// authorization_code grant: SQL. (Redemption, which consumes a code, is in tokens.ts.)
import type { Sql } from "./sql";
import { bool, GRANT_USER_COLUMNS, grantUser, str, type Row } from "./rows";
import type { OAuthStores } from "../../oauth/types";
import { parseScope } from "../../oauth/scopes";
import { parseAmr } from "../../oauth/amr";

const FIND_BY_HASH = `SELECT c.*, ${GRANT_USER_COLUMNS} FROM "AuthorizationCode" c JOIN "User" u ON u."id" = c."userId" WHERE c."codeHash" = ?`;

export function protocolCodes(sql: Sql): OAuthStores["codes"] {
  return {
    async create(c) {
      await sql.run(
        'INSERT INTO "AuthorizationCode" ("id", "codeHash", "grantId", "clientId", "userId", "sessionId", "redirectUri", "redirectUriGiven", "scope", "resources", "nonce", "codeChallenge", "codeChallengeMethod", "authTime", "amr", "createdAt", "expiresAt") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        [c.id, c.codeHash, c.grantId, c.clientId, c.userId, c.sessionId, c.redirectUri, c.redirectUriGiven, c.scope.join(" "), (c.resources ?? []).join(" "), c.nonce, c.codeChallenge, c.codeChallengeMethod, c.authTime, c.amr.join(" "), new Date(), c.expiresAt],
      );
    },
    async findByHash(codeHash) {
      const c = await sql.one<Row>(FIND_BY_HASH, [codeHash]);
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
        resources: parseScope(String(c.resources)),
        nonce: str(c.nonce),
        codeChallenge: str(c.codeChallenge),
        codeChallengeMethod: str(c.codeChallengeMethod),
        authTime: sql.date(c.authTime),
        amr: parseAmr(str(c.amr)),
        expiresAt: sql.date(c.expiresAt),
        consumedAt: sql.dateOrNull(c.consumedAt),
        ...grantUser(c, String(c.userId), sql.date),
      };
    },
  };
}
