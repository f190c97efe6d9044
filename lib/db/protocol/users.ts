// The protocol's view of users and portal sessions, read on every authorization and token
// request: SQL.
import type { Sql } from "./sql";
import { bool, str, type Row } from "./rows";
import type { OAuthStores } from "../../oauth/types";
import { parseAmr } from "../../oauth/amr";

export function protocolUsers(sql: Sql): OAuthStores["users"] {
  return {
    async findById(id) {
      const u = await sql.one<Row>('SELECT "id", "email", "name", "emailVerified", "disabled", "updatedAt" FROM "User" WHERE "id" = ?', [id]);
      return u
        ? { id: String(u.id), email: String(u.email), name: str(u.name), emailVerified: bool(u.emailVerified), disabled: bool(u.disabled), updatedAt: sql.date(u.updatedAt) }
        : null;
    },
  };
}

export function protocolSessions(sql: Sql): OAuthStores["sessions"] {
  return {
    async findSignedIn(id) {
      const s = await sql.one<Row>(
        'SELECT s."id", s."publicSid", s."userId", s."authTime", s."amr", s."expiresAt", s."revokedAt", u."disabled", u."mustResetPassword" FROM "PortalSession" s JOIN "User" u ON u."id" = s."userId" WHERE s."id" = ?',
        [id],
      );
      // A user an admin told to reset the password signs in, but gets no codes until it is done.
      if (!s || s.revokedAt != null || sql.date(s.expiresAt) <= new Date() || bool(s.disabled) || bool(s.mustResetPassword)) return null;
      return { id: String(s.id), sid: String(s.publicSid), userId: String(s.userId), authTime: sql.date(s.authTime), amr: parseAmr(str(s.amr)) };
    },
  };
}
