// Recognising constraint violations the same way on both providers.
/**
 * A foreign key that points nowhere: from Prisma (P2003) or the raw drivers of the hot paths
 * (SQLite's SQLITE_CONSTRAINT_FOREIGNKEY, PostgreSQL's 23503).
 */
export function isForeignKeyViolation(err: unknown): boolean {
  const code = typeof err === "object" && err !== null ? (err as { code?: unknown }).code : undefined;
  return code === "P2003" || code === "SQLITE_CONSTRAINT_FOREIGNKEY" || code === "23503";
}

export function isUniqueViolation(err: unknown): boolean {
  return typeof err === "object" && err !== null && (err as { code?: unknown }).code === "P2002";
}
