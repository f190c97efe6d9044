// Recognising constraint violations, and an unavailable database, the same way on both providers.
import { TemporarilyUnavailable } from "../oauth/errors";
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

// ---------------------------------------------------------------------------------------------
// "The database is unavailable": one classification for both providers, the raw drivers of the
// hot paths and Prisma's wrappers of them. Such a request is answered 503 temporarily_unavailable
// (RFC 6749 §4.1.2.1, §5.2) with Retry-After, instead of a 500 or a hang; nothing of the error's
// text reaches the response.
// ---------------------------------------------------------------------------------------------

/** Node's socket errors: the database's address refuses, resets, or does not answer. */
const SOCKET_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EHOSTUNREACH", "ENETUNREACH", "EAI_AGAIN"]);

/**
 * PostgreSQL SQLSTATEs (Appendix A): class 08 (connection exception), 53300 too_many_connections,
 * 57014 query_canceled (statement_timeout), 57P01-57P03 (shutdown, crash, cannot connect now),
 * 25P03 idle_in_transaction_session_timeout, 55P03 lock_not_available (lock_timeout).
 */
const PG_CODES = /^(08...|53300|57014|57P0[1-3]|25P03|55P03)$/;

/** SQLite: locked by another connection (after the bounded retries), disk full, I/O error, cannot open. */
const SQLITE_CODES = /^SQLITE_(BUSY|LOCKED|FULL|IOERR|CANTOPEN)(_|$)/;

/**
 * Prisma: P1001 can't reach, P1002 timed out, P1008 operation timed out (its mapping of SQLITE_BUSY
 * and socket timeouts), P1017 server closed the connection, P2024 connection pool timeout,
 * P2037 too many connections.
 */
const PRISMA_CODES = new Set(["P1001", "P1002", "P1008", "P1017", "P2024", "P2037"]);

/** node-postgres errors that carry no code: the pool's wait, the connect and query timeouts, a lost connection. */
const PG_MESSAGES =
  /^(timeout exceeded when trying to connect|Connection terminated|Query read timeout|Client has encountered a connection error|Connection terminated due to connection timeout)/;

/** The error, and what it wraps: `cause`, Prisma's driver adapter error and its cause, an AggregateError's errors. */
function* layers(err: unknown, depth = 0): Generator<{ code?: unknown; message?: unknown }> {
  if (typeof err !== "object" || err === null || depth > 4) return;
  const e = err as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown; meta?: { driverAdapterError?: unknown } };
  yield e;
  if (e.cause !== undefined) yield* layers(e.cause, depth + 1);
  if (e.meta?.driverAdapterError !== undefined) yield* layers(e.meta.driverAdapterError, depth + 1);
  if (Array.isArray(e.errors)) for (const inner of e.errors) yield* layers(inner, depth + 1);
}

/** Is `err` the database being unreachable, too slow, locked, full or broken (rather than a bug or a bad request)? */
export function isDatabaseUnavailable(err: unknown): boolean {
  for (const e of layers(err)) {
    // Prisma's driver adapter errors put the driver's code under originalCode (and `kind`).
    const codes = [e.code, (e as { originalCode?: unknown }).originalCode];
    for (const code of codes) {
      if (typeof code !== "string") continue;
      if (SOCKET_CODES.has(code) || PG_CODES.test(code) || SQLITE_CODES.test(code) || PRISMA_CODES.has(code)) return true;
    }
    const kind = (e as { kind?: unknown }).kind;
    if (kind === "DatabaseNotReachable" || kind === "ConnectionClosed" || kind === "SocketTimeout" || kind === "TooManyConnections") return true;
    if (typeof e.message === "string" && PG_MESSAGES.test(e.message)) return true;
  }
  return false;
}

/** SQLITE_BUSY (and BUSY_SNAPSHOT, and Prisma's wrapping of them): another connection holds the write lock; worth retrying. */
export function isSqliteBusy(err: unknown): boolean {
  for (const e of layers(err)) {
    for (const code of [e.code, (e as { originalCode?: unknown }).originalCode]) {
      if (typeof code === "string" && /^SQLITE_BUSY(_|$)/.test(code)) return true;
    }
  }
  return false;
}

/** A database-unavailable error as the wire error (TemporarilyUnavailable, 503); anything else unchanged. */
export function asUnavailable(err: unknown): unknown {
  return !(err instanceof TemporarilyUnavailable) && isDatabaseUnavailable(err) ? new TemporarilyUnavailable() : err;
}
