// Decoding the raw driver rows of lib/db/protocol/sql.ts: SQLite hands back 0/1 and text,
// PostgreSQL booleans (dates are the Sql runner's job: sql.date, sql.dateOrNull).
export type Row = Record<string, unknown>;
export const str = (v: unknown) => (v == null ? null : String(v));
export const bool = (v: unknown) => v === true || v === 1 || v === 1n;
