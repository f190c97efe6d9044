// A Prisma client for whichever provider a database URL names (the process's one client is
// built by the composition root, lib/runtime.ts).
// Two generated clients (prisma/sqlite, prisma/postgres) share one model source, so their
// APIs are identical; the rest of the app sees the SQLite client's type as `Db`.
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as SqliteClient } from "./generated/sqlite/client.ts";
import { PrismaClient as PostgresClient } from "./generated/postgres/client.ts";
import { databaseProvider, sqliteSynchronous } from "../config/database-url";
import { restrictSqliteFile } from "./sqlite-file";

export type Db = SqliteClient;
export type Tx = Omit<Db, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

export function createDb(url: string): Db {
  if (databaseProvider(url) === "sqlite") {
    restrictSqliteFile(url);
    // better-sqlite3's `timeout` is SQLite's busy timeout: wait for a writer in another process
    // (the CLI, a second instance) instead of failing with SQLITE_BUSY.
    const client = new SqliteClient({ adapter: new PrismaBetterSQLite3({ url, timeout: 5000 }) });
    // Per connection; queued before any other query of this client.
    void client.$executeRawUnsafe(`PRAGMA synchronous = ${sqliteSynchronous()}`).catch(() => undefined);
    return client;
  }
  const client = new PostgresClient({ adapter: new PrismaPg({ connectionString: url }) });
  // Same models, same API: generated from one source (checked by `npm run db:check`).
  return client as unknown as Db;
}

/** Settings kept in the database file itself; run once after migrations. */
export async function prepareDb(db: Db, url: string): Promise<void> {
  if (databaseProvider(url) === "sqlite") {
    // WAL lets readers proceed while one writer commits; it persists in the file.
    await db.$queryRawUnsafe("PRAGMA journal_mode = WAL");
  }
}
