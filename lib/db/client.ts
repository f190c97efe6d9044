// A Prisma client for whichever provider a database URL names (the process's one client is
// built by the composition root, lib/runtime.ts).
// Two generated clients (prisma/sqlite, prisma/postgres) share one model source, so their
// APIs are identical; the rest of the app sees the SQLite client's type as `Db`.
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as SqliteClient } from "./generated/sqlite/client.ts";
import { PrismaClient as PostgresClient } from "./generated/postgres/client.ts";
import { databaseLimits, databaseProvider, sqliteSynchronous, type DatabaseLimits } from "../config/database-url";
import { restrictSqliteFile } from "./sqlite-file";
import { nonBlockingSqlite } from "./sqlite-lock";
import { pgTimeouts } from "./pg-timeouts";
import { asUnavailable } from "./errors";

export type Db = SqliteClient;
export type Tx = Omit<Db, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

/**
 * Every operation's "database unavailable" error (lib/db/errors.ts) becomes TemporarilyUnavailable,
 * which the endpoints answer with 503 (RFC 6749 §5.2); other errors pass unchanged.
 */
function withUnavailable(client: Db): Db {
  return client.$extends({
    name: "database-unavailable",
    query: {
      async $allOperations({ args, query }) {
        try {
          return await query(args);
        } catch (err) {
          throw asUnavailable(err);
        }
      },
    },
  }) as unknown as Db;
}

export function createDb(url: string, limits: DatabaseLimits = databaseLimits()): Db {
  if (databaseProvider(url) === "sqlite") {
    restrictSqliteFile(url);
    // Busy timeout 0: a writer in another process (the CLI, a second instance) must not block the
    // event loop; lib/db/sqlite-lock.ts retries SQLITE_BUSY asynchronously instead.
    const adapter = nonBlockingSqlite(new PrismaBetterSQLite3({ url, timeout: 0 }), limits.busyRetryMs);
    // Prisma gives up starting a transaction after maxWait (P2028, default 2 s): let the lock's
    // retry budget decide instead, so that the error is the classified SQLITE_BUSY (P1008).
    const client = new SqliteClient({ adapter, transactionOptions: { maxWait: limits.busyRetryMs + 1000 } });
    // Per connection; queued before any other query of this client.
    void client.$executeRawUnsafe(`PRAGMA synchronous = ${sqliteSynchronous()}`).catch(() => undefined);
    return withUnavailable(client);
  }
  const pool = { connectionString: url, ...pgTimeouts(limits) };
  const client = new PostgresClient({ adapter: new PrismaPg(pool) });
  // Same models, same API: generated from one source (checked by `npm run db:check`).
  return withUnavailable(client as unknown as Db);
}

/** Settings kept in the database file itself; run once after migrations. */
export async function prepareDb(db: Db, url: string): Promise<void> {
  if (databaseProvider(url) === "sqlite") {
    // WAL lets readers proceed while one writer commits; it persists in the file.
    await db.$queryRawUnsafe("PRAGMA journal_mode = WAL");
  }
}
