// The timeouts of every PostgreSQL pool (Prisma's and the SQL runner's): a database that stalls
// or goes away is answered within bounds instead of hanging requests (issue 18 §2). A leaf module:
// lib/db/client.ts and lib/db/protocol/sql.ts both need it.
import type pg from "pg";
import type { DatabaseLimits } from "../config/database-url";

/**
 * node-postgres settings that bound every wait on the database (issue 18 §2): opening a connection
 * and waiting for a free one of the pool (connectionTimeoutMillis: pg-pool applies it to both), a
 * statement (statement_timeout, enforced by the server; query_timeout a second later by the
 * client, for a server that does not answer at all), and a transaction left idle.
 * Shared by the SQL runner's pool and Prisma's (lib/db/client.ts).
 */
export function pgTimeouts(limits: DatabaseLimits): pg.PoolConfig {
  return {
    connectionTimeoutMillis: limits.connectTimeoutMs,
    statement_timeout: limits.statementTimeoutMs,
    query_timeout: limits.statementTimeoutMs + 1000,
    idle_in_transaction_session_timeout: limits.idleInTransactionTimeoutMs,
  };
}
