// Prisma's SQLite connection without a synchronous wait on the event loop (issue 18 §2).
// better-sqlite3 is synchronous: with a busy timeout, a write that meets another process's write
// lock (the CLI, a second instance) blocks the whole event loop until the lock is free; every
// request of the instance waits, even one that needs no database. So the connection's busy
// timeout is 0, and this wrapper around Prisma's adapter retries SQLITE_BUSY asynchronously, with
// backoff, for at most `busyRetryMs`; after that the error stands (P1008, classified as
// "database unavailable" by lib/db/errors.ts).
// Transactions: the adapter opens them with a deferred BEGIN, so a transaction that reads before it
// writes fails at once with SQLITE_BUSY_SNAPSHOT when another connection wrote meanwhile (the busy
// timeout never applies to it). Here every transaction takes the write lock first (BEGIN
// IMMEDIATE), retried the same way, so it cannot fail half-way for a lock.
import { setTimeout as sleep } from "node:timers/promises";
import type Database from "better-sqlite3";
import type { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { isSqliteBusy } from "./errors";

type Factory = Pick<PrismaBetterSQLite3, "provider" | "adapterName" | "connect" | "connectToShadowDb">;
type Adapter = Awaited<ReturnType<Factory["connect"]>>;
type Transaction = Awaited<ReturnType<Adapter["startTransaction"]>>;

/** `f` again while it fails with SQLITE_BUSY, waiting 1, 2, 4 … 50 ms (asynchronously), until `budgetMs` is spent. */
export async function retryBusy<T>(f: () => Promise<T> | T, budgetMs: number): Promise<T> {
  const deadline = Date.now() + budgetMs;
  for (let attempt = 0; ; attempt++) {
    try {
      return await f();
    } catch (err) {
      if (!isSqliteBusy(err) || Date.now() >= deadline) throw err;
      await sleep(Math.min(2 ** attempt, 50, Math.max(1, deadline - Date.now())));
    }
  }
}

/** Transactions of one connection, one at a time (the adapter's own lock, taken before BEGIN IMMEDIATE). */
function serial(): () => Promise<() => void> {
  let tail = Promise.resolve();
  return async () => {
    let release!: () => void;
    const previous = tail;
    tail = new Promise<void>((r) => (release = r));
    await previous;
    return release;
  };
}

function nonBlocking(adapter: Adapter, budgetMs: number): Adapter {
  const internals = adapter as unknown as { client: Database.Database; onError(err: unknown): never };
  const db = internals.client;
  const prepare = db.prepare.bind(db);
  // The adapter's startTransaction runs prepare("BEGIN").run(); once BEGIN IMMEDIATE has begun the
  // transaction here, that BEGIN is a no-op.
  let begun = false;
  const noBegin = { run: () => ({ changes: 0, lastInsertRowid: 0 }) } as unknown as Database.Statement;
  db.prepare = ((sql: string) => {
    if (sql !== "BEGIN" || !begun) return prepare(sql);
    begun = false;
    return noBegin;
  }) as typeof db.prepare;

  const lock = serial();
  const startTransaction = adapter.startTransaction.bind(adapter);
  adapter.startTransaction = async (isolationLevel) => {
    const release = await lock();
    let tx: Transaction;
    try {
      try {
        await retryBusy(() => prepare("BEGIN IMMEDIATE").run(), budgetMs);
      } catch (err) {
        internals.onError(err); // as the adapter reports its own errors: SQLITE_BUSY becomes P1008
      }
      begun = true;
      tx = await startTransaction(isolationLevel);
    } catch (err) {
      begun = false;
      if (db.inTransaction) prepare("ROLLBACK").run();
      release();
      throw err;
    }
    const { commit, rollback } = tx;
    tx.commit = () => commit.call(tx).finally(release);
    tx.rollback = () => rollback.call(tx).finally(release);
    return tx;
  };
  const queryRaw = adapter.queryRaw.bind(adapter);
  const executeRaw = adapter.executeRaw.bind(adapter);
  adapter.queryRaw = (q) => retryBusy(() => queryRaw(q), budgetMs);
  adapter.executeRaw = (q) => retryBusy(() => executeRaw(q), budgetMs);
  return adapter;
}

/** Prisma's better-sqlite3 adapter (created with `timeout: 0`), made non-blocking as described above. */
export function nonBlockingSqlite(inner: PrismaBetterSQLite3, busyRetryMs: number): Factory {
  return {
    provider: inner.provider,
    adapterName: inner.adapterName,
    connect: async () => nonBlocking(await inner.connect(), busyRetryMs),
    connectToShadowDb: () => inner.connectToShadowDb(),
  };
}
