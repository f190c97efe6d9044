// Decoding the raw driver rows of lib/db/protocol/sql.ts: SQLite hands back 0/1 and text,
// PostgreSQL booleans (dates are the Sql runner's job: sql.date, sql.dateOrNull).
import type { UserProfile } from "../../oauth/types";

export type Row = Record<string, unknown>;
export const str = (v: unknown) => (v == null ? null : String(v));
export const bool = (v: unknown) => v === true || v === 1 || v === 1n;

/**
 * The grant's user, joined as `u` to a code or refresh token row: its state and what the ID
 * token's profile/email claims need, in the same query (OIDC Core §5.4, §12.2).
 */
export const GRANT_USER_COLUMNS =
  'u."disabled" AS "userDisabled", u."email" AS "userEmail", u."name" AS "userName", u."emailVerified" AS "userEmailVerified", u."updatedAt" AS "userUpdatedAt"';

/** The user read with GRANT_USER_COLUMNS. */
export function grantUser(r: Row, userId: string, date: (v: unknown) => Date): { userActive: boolean; user: UserProfile } {
  return {
    userActive: !bool(r.userDisabled),
    user: { id: userId, email: String(r.userEmail), name: str(r.userName), emailVerified: bool(r.userEmailVerified), updatedAt: date(r.userUpdatedAt) },
  };
}
