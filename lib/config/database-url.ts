// Where the database is, from DATABASE_URL. Shared by the app, the CLI and prisma.config.ts,
// so it imports nothing.
import path from "node:path";

export type DbProvider = "sqlite" | "postgres";

export function dataDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(/*turbopackIgnore: true*/ env.DATA_DIR || "data");
}

/** DATABASE_URL, or the embedded SQLite file under DATA_DIR; SQLite paths made absolute. */
export function databaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  const url = env.DATABASE_URL?.trim();
  if (!url) return `file:${path.join(dataDir(env), "latchkey.db")}`;
  if (url.startsWith("file:")) return `file:${path.resolve(/*turbopackIgnore: true*/ url.slice("file:".length))}`;
  return url;
}

/**
 * SQLite's synchronous setting on every connection (WAL mode). FULL (the default): every commit
 * is fsynced before it is acknowledged. NORMAL: a commit survives a crash of the application;
 * a power loss or OS crash may undo the last commits, never corrupt the file. NORMAL commits
 * faster in isolation but measured no faster under `npm run bench`, so we keep FULL (figures in
 * docs/architecture.md, "The SQLite writer").
 */
export function sqliteSynchronous(env: NodeJS.ProcessEnv = process.env): "FULL" | "NORMAL" {
  return env.SQLITE_SYNCHRONOUS?.trim().toUpperCase() === "NORMAL" ? "NORMAL" : "FULL";
}

export function databaseProvider(url: string): DbProvider {
  if (url.startsWith("file:")) return "sqlite";
  if (url.startsWith("postgresql://") || url.startsWith("postgres://")) return "postgres";
  throw new Error(
    `DATABASE_URL must start with file: (SQLite) or postgresql:// (PostgreSQL); got "${url.split(":")[0]}:..."`,
  );
}

/** How long the app waits for its database before answering "temporarily unavailable" (ms). */
export interface DatabaseLimits {
  /** DB_CONNECT_TIMEOUT_MS: PostgreSQL: opening a connection, and waiting for a free one of the pool. */
  connectTimeoutMs: number;
  /** DB_STATEMENT_TIMEOUT_MS: PostgreSQL: one statement (server side; the client gives up a second later). */
  statementTimeoutMs: number;
  /** DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: PostgreSQL: a transaction left open without a statement. */
  idleInTransactionTimeoutMs: number;
  /** DB_BUSY_RETRY_MS: SQLite: how long a write retries (asynchronously) while another connection holds the lock. */
  busyRetryMs: number;
}

const LIMITS: Record<keyof DatabaseLimits, [name: string, fallback: number]> = {
  connectTimeoutMs: ["DB_CONNECT_TIMEOUT_MS", 3000],
  statementTimeoutMs: ["DB_STATEMENT_TIMEOUT_MS", 5000],
  idleInTransactionTimeoutMs: ["DB_IDLE_IN_TRANSACTION_TIMEOUT_MS", 10_000],
  busyRetryMs: ["DB_BUSY_RETRY_MS", 5000],
};

/** The database timeouts from the environment (each a whole number of milliseconds, 100 to 600000). */
export function databaseLimits(env: NodeJS.ProcessEnv = process.env): DatabaseLimits {
  const out = {} as DatabaseLimits;
  for (const key of Object.keys(LIMITS) as (keyof DatabaseLimits)[]) {
    const [name, fallback] = LIMITS[key];
    const raw = env[name]?.trim();
    const n = raw ? Number(raw) : fallback;
    if (!Number.isInteger(n) || n < 100 || n > 600_000) {
      throw new Error(`${name} must be a whole number of milliseconds from 100 to 600000; got "${raw}"`);
    }
    out[key] = n;
  }
  return out;
}
