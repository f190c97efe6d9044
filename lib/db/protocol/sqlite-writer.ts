// The SQLite write connection of the hot paths, on a worker thread.
//
// With synchronous=FULL every COMMIT waits for an fsync. On the main thread that wait blocked
// every other request (the profile and figures: docs/architecture.md, "The SQLite writer"). On a worker, the main thread goes on serving while the worker commits, and everything
// that arrived meanwhile goes into the next transaction: group commit. One failing write undoes
// only itself (see flush); callers hear back only after the COMMIT that holds their write, so
// durability is unchanged.
//
// The worker is started from source text (eval), not a file: the same code then runs in
// dist/start.js (scripts/start.ts bundled), under tsx (`npm run dev`), in Next's bundled route
// handlers and in Vitest alike. It may block on the busy timeout when another connection holds the
// write lock (at most DB_BUSY_RETRY_MS from when a write was sent; then it fails with SQLITE_BUSY,
// answered 503): that wait never stalls the main thread.
import { logError } from "../../log/logger";
import { builtMetrics } from "../../ops/metrics";
import { Worker } from "node:worker_threads";
import { createRequire } from "node:module";
import path from "node:path";

export interface WriteStep {
  sql: string;
  params: unknown[];
}

/**
 * guarded: the first step must change exactly one row, else the write is undone and yields false.
 * get: one statement with RETURNING; yields its first row. repeat: `steps` run again until a
 * pass changes no row (at most 5 passes), then `after`.
 */
export type WriteOp =
  | { kind: "run"; steps: [WriteStep] }
  | { kind: "get"; steps: [WriteStep] }
  | { kind: "batch"; steps: WriteStep[] }
  | { kind: "guarded"; steps: WriteStep[] }
  | { kind: "repeat"; steps: WriteStep[]; after: WriteStep[] };

// biome-ignore lint/complexity/noUselessStringRaw: JavaScript source; a backslash added later must stay literal
const WORKER_SOURCE = String.raw`
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.file, { timeout: workerData.busyTimeoutMs });
db.pragma("synchronous = " + workerData.synchronous);
// Statement journals in memory: inside a transaction SQLite journals the pages a statement (or a
// SAVEPOINT, when a batch is re-run job by job) changes in a statement journal, which past 64 KiB
// spills to a temporary file (opened, written page by page and deleted at every COMMIT). It only
// serves rolling back within the open transaction, never crash recovery (the WAL does that), so
// memory loses nothing.
db.pragma("temp_store = MEMORY");
const cache = new Map();
const stmt = (sql) => {
  let s = cache.get(sql);
  if (!s) cache.set(sql, (s = db.prepare(sql)));
  return s;
};
class Undo { constructor(value) { this.value = value; } }
function apply(op) {
  if (op.kind === "run") return stmt(op.steps[0].sql).run(...op.steps[0].params).changes;
  if (op.kind === "get") return stmt(op.steps[0].sql).get(...op.steps[0].params);
  if (op.kind === "batch") { for (const s of op.steps) stmt(s.sql).run(...s.params); return undefined; }
  if (op.kind === "repeat") {
    for (let pass = 0; pass < 5; pass++) {
      let changed = 0;
      for (const s of op.steps) changed += stmt(s.sql).run(...s.params).changes;
      if (changed === 0) break;
    }
    for (const s of op.after) stmt(s.sql).run(...s.params);
    return undefined;
  }
  const [first, ...rest] = op.steps;
  const changed = stmt(first.sql).run(...first.params).changes;
  if (changed === 0) return false; // nothing written: nothing to undo
  if (changed !== 1) throw new Undo(false);
  for (const s of rest) stmt(s.sql).run(...s.params);
  return true;
}
class JobFailed extends Error {}
/** Every job in one transaction. isolated: each in its own SAVEPOINT, so a failing one undoes only itself. */
function commit(jobs, isolated) {
  const replies = [];
  stmt("BEGIN IMMEDIATE").run();
  for (const job of jobs) {
    if (!isolated) {
      try {
        replies.push({ id: job.id, ok: true, value: apply(job.op) });
      } catch {
        throw new JobFailed(); // it may have written part of itself: the caller starts over, isolated
      }
      continue;
    }
    stmt("SAVEPOINT w").run();
    try {
      const value = apply(job.op);
      stmt("RELEASE w").run();
      replies.push({ id: job.id, ok: true, value });
    } catch (err) {
      stmt("ROLLBACK TO w").run();
      stmt("RELEASE w").run();
      replies.push(err instanceof Undo
        ? { id: job.id, ok: true, value: err.value }
        : { id: job.id, ok: false, message: String(err && err.message), code: err && err.code });
    }
  }
  stmt("COMMIT").run();
  return replies;
}
let queue = [];
let scheduled = false;
let closed = false;
// Each job waits at most busyTimeoutMs for another connection's write lock, counted from when it
// was sent (job.at), not per attempt: jobs queued behind a wait would otherwise wait again.
let busyTimeout = workerData.busyTimeoutMs;
function expireAndBound(jobs) {
  const now = Date.now();
  let oldest = now;
  const live = [];
  const expired = [];
  for (const j of jobs) {
    if (now - j.at >= workerData.busyTimeoutMs) expired.push({ id: j.id, ok: false, message: "database is locked", code: "SQLITE_BUSY" });
    else {
      live.push(j);
      if (j.at < oldest) oldest = j.at;
    }
  }
  // Only when jobs have waited notably (another connection holds the lock): one pragma, not one per flush.
  const timeout = now - oldest > 50 ? workerData.busyTimeoutMs - (now - oldest) : workerData.busyTimeoutMs;
  if (timeout !== busyTimeout) db.pragma("busy_timeout = " + (busyTimeout = timeout));
  if (expired.length) parentPort.postMessage(expired);
  return live;
}
function flush() {
  scheduled = false;
  if (closed || queue.length === 0) return;
  const jobs = expireAndBound(queue);
  queue = [];
  if (jobs.length === 0) return;
  const started = performance.now();
  let replies;
  try {
    // Jobs rarely fail, so a batch first runs without a SAVEPOINT per job (two statements less
    // each). If one fails, the whole transaction is rolled back and the batch runs again with a
    // SAVEPOINT per job. Nothing is committed before that, so each job still takes effect once.
    try {
      replies = commit(jobs, false);
    } catch (err) {
      if (!(err instanceof JobFailed)) throw err;
      if (db.inTransaction) stmt("ROLLBACK").run();
      replies = commit(jobs, true);
    }
  } catch (err) {
    if (db.inTransaction) stmt("ROLLBACK").run();
    parentPort.postMessage({ replies: jobs.map((j) => ({ id: j.id, ok: false, message: String(err && err.message), code: err && err.code })) });
    return;
  }
  // The commit's duration goes with its replies, for latchkey_sqlite_writer_commit_seconds.
  parentPort.postMessage({ replies, seconds: (performance.now() - started) / 1000 });
}
parentPort.on("message", (m) => {
  if (m === "close") {
    flush(); // what was queued before "close" is committed, not dropped
    closed = true;
    db.close();
    parentPort.close();
    return;
  }
  queue.push(m);
  if (!scheduled) { scheduled = true; setImmediate(flush); }
});
`;

export class SqliteWriteError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
    this.name = "SqliteWriteError";
  }
}

export interface SqliteWriter {
  write(op: WriteOp): Promise<unknown>;
  /** Writes sent and not yet answered (the queue and the commit under way): a gauge, read at scrape time. */
  queued(): number;
  close(): Promise<void>;
}

export function sqliteWriter(file: string, synchronous: "FULL" | "NORMAL", busyTimeoutMs: number): SqliteWriter {
  // Resolved from the project root: Next's bundles have no meaningful import.meta.url.
  const driver = createRequire(path.join(process.cwd(), "package.json")).resolve("better-sqlite3");
  type Reply = { id: number; ok: boolean; value?: unknown; message?: string; code?: string };
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: unknown): void }>();
  let nextId = 1;
  let worker: Worker | null = null;
  let closing = false;

  function failPending(err: Error) {
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  }

  /** Starts the worker; if it dies, its callers hear so and the next write starts a new one. */
  function start(): Worker {
    const w = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { file, synchronous, driver, busyTimeoutMs },
    });
    w.unref(); // pending writes hold their callers, not the process
    w.on("message", ({ replies, seconds }: { replies: Reply[]; seconds?: number }) => {
      // One observation per group commit (not per write), and only once the server built its metrics.
      if (seconds !== undefined) builtMetrics()?.sqliteCommits.observe(seconds);
      for (const r of replies) {
        const p = pending.get(r.id);
        if (!p) continue;
        pending.delete(r.id);
        if (r.ok) p.resolve(r.value);
        else p.reject(new SqliteWriteError(r.message ?? "SQLite write failed", r.code));
      }
    });
    w.on("error", (err) => {
      logError("The SQLite writer failed; it restarts on the next write", err);
    });
    w.on("exit", () => {
      if (worker === w) worker = null;
      failPending(new Error(closing ? "SQLite writer closed" : "SQLite writer stopped"));
    });
    return w;
  }

  return {
    write(op) {
      if (closing) return Promise.reject(new Error("SQLite writer closed"));
      const w = (worker ??= start());
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        w.postMessage({ id, op, at: Date.now() });
      });
    },
    queued: () => pending.size,
    async close() {
      closing = true;
      const w = worker;
      if (!w) return;
      const exited = new Promise<void>((r) => w.once("exit", () => r()));
      w.postMessage("close");
      await exited;
    },
  };
}
