// A minimal SQL runner over the raw drivers, for the protocol's hot paths only. Prisma costs
// ~1.2 ms of CPU per query here (its WebAssembly query compiler runs on every call in 6.19;
// measured with process.cpuUsage over 2,000 findUnique calls), more than a whole token grant
// should; a prepared statement costs a few µs. Everything else keeps using Prisma.
// SQL is written once with `?` placeholders and "quoted" identifiers, valid on both providers.
import Database from "better-sqlite3";
import pg from "pg";
import { databaseProvider, sqliteSynchronous } from "../../config/database-url";

export interface Step {
  sql: string;
  params: unknown[];
}

export interface Sql {
  one<T>(sql: string, params: unknown[]): Promise<T | undefined>;
  run(sql: string, params: unknown[]): Promise<number>;
  /** Runs the steps in one transaction (all or nothing). */
  batch(steps: Step[]): Promise<void>;
  /** Runs the steps in one transaction if the first changes exactly one row; else changes nothing. */
  guarded(first: Step, then: Step[]): Promise<boolean>;
  date(v: unknown): Date;
  dateOrNull(v: unknown): Date | null;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Thrown inside a queued SQLite write to undo just that write and resolve with `value`. */
class Undo {
  constructor(readonly value: unknown) {}
}

interface Job {
  run(): unknown;
  resolve(v: unknown): void;
  reject(e: unknown): void;
}

/**
 * SQLite: a second connection to the same WAL file.
 *
 * Writes are group-committed: every write queued during one turn of the event loop runs in one
 * transaction (each inside its own SAVEPOINT, so one failing write undoes only itself), and all of
 * them resolve after that transaction's COMMIT. With synchronous=FULL a commit costs an fsync
 * (~0.7 ms here); under load one fsync now covers many requests instead of one each. Durability
 * is unchanged: no caller hears "done" before its write is on disk.
 *
 * Transactions are synchronous (no await inside), so the connection never holds a lock across
 * event-loop turns; when Prisma's connection holds the write lock (an interactive transaction),
 * SQLITE_BUSY is retried asynchronously instead of blocking the thread (busy timeout 0), which
 * would stall the transaction we wait for.
 */
function sqliteSql(file: string): Sql {
  const db = new Database(file, { timeout: 0 });
  db.pragma(`synchronous = ${sqliteSynchronous()}`);
  const cache = new Map<string, Database.Statement>();
  const stmt = (sql: string) => {
    let s = cache.get(sql);
    if (!s) cache.set(sql, (s = db.prepare(sql)));
    return s;
  };
  // Prisma's SQLite encoding: ISO-8601 text with "+00:00", booleans as 0/1.
  const param = (v: unknown) =>
    v instanceof Date ? v.toISOString().replace("Z", "+00:00") : typeof v === "boolean" ? (v ? 1 : 0) : v;
  const params = (ps: unknown[]) => ps.map(param);
  const busy = (err: unknown) => (err as { code?: string }).code === "SQLITE_BUSY";

  async function retry<T>(f: () => T): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return f();
      } catch (err) {
        if (!busy(err) || attempt > 500) throw err;
        await sleep(Math.min(1 + attempt, 10));
      }
    }
  }

  let queue: Job[] = [];
  let scheduled = false;
  let busyAttempts = 0;

  function write<T>(run: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      queue.push({ run, resolve: resolve as (v: unknown) => void, reject });
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    });
  }

  function flush() {
    try {
      stmt("BEGIN IMMEDIATE").run();
    } catch (err) {
      if (busy(err) && busyAttempts++ < 500) {
        setTimeout(flush, Math.min(busyAttempts, 10));
        return; // the queue keeps growing meanwhile; all of it goes in the next attempt
      }
      busyAttempts = 0;
      scheduled = false;
      const failed = queue;
      queue = [];
      for (const j of failed) j.reject(err);
      return;
    }
    busyAttempts = 0;
    scheduled = false;
    const jobs = queue;
    queue = [];
    const outcomes = jobs.map((job) => {
      stmt("SAVEPOINT w").run();
      try {
        const value = job.run();
        stmt("RELEASE w").run();
        return { ok: true, value };
      } catch (err) {
        stmt("ROLLBACK TO w").run();
        stmt("RELEASE w").run();
        return err instanceof Undo ? { ok: true, value: err.value } : { ok: false, value: err };
      }
    });
    try {
      stmt("COMMIT").run();
    } catch (err) {
      if (db.inTransaction) stmt("ROLLBACK").run();
      for (const j of jobs) j.reject(err);
      return;
    }
    jobs.forEach((j, i) => {
      const o = outcomes[i] as (typeof outcomes)[number];
      if (o.ok) j.resolve(o.value);
      else j.reject(o.value);
    });
  }

  return {
    async one<T>(sql: string, ps: unknown[]) {
      return retry(() => stmt(sql).get(...params(ps)) as T | undefined);
    },
    run(sql, ps) {
      return write(() => stmt(sql).run(...params(ps)).changes);
    },
    batch(steps) {
      return write(() => {
        for (const s of steps) stmt(s.sql).run(...params(s.params));
      });
    },
    guarded(first, then) {
      return write(() => {
        if (stmt(first.sql).run(...params(first.params)).changes !== 1) throw new Undo(false);
        for (const s of then) stmt(s.sql).run(...params(s.params));
        return true;
      });
    },
    date: (v) => new Date(v as string),
    dateOrNull: (v) => (v == null ? null : new Date(v as string)),
    async close() {
      while (scheduled || queue.length > 0) await sleep(1);
      db.close();
    },
  };
}

/** PostgreSQL: its own small pool; `timestamp(3)` columns hold UTC, read back as UTC. */
function postgresSql(url: string): Sql {
  const TIMESTAMP = 1114;
  const pool = new pg.Pool({
    connectionString: url,
    max: 8,
    types: {
      getTypeParser: ((oid: number, format?: string) =>
        oid === TIMESTAMP
          ? (s: string) => new Date(`${s.replace(" ", "T")}Z`)
          : pg.types.getTypeParser(oid, format as "text")) as typeof pg.types.getTypeParser,
    },
  });
  const numbered = new Map<string, string>();
  const text = (sql: string) => {
    let t = numbered.get(sql);
    if (!t) {
      let n = 0;
      numbered.set(sql, (t = sql.replace(/\?/g, () => `$${++n}`)));
    }
    return t;
  };
  const param = (v: unknown) => (v instanceof Date ? v.toISOString() : v);
  const query = (c: pg.Pool | pg.PoolClient, sql: string, ps: unknown[]) =>
    c.query({ text: text(sql), values: ps.map(param) });
  return {
    async one<T>(sql: string, ps: unknown[]) {
      return (await query(pool, sql, ps)).rows[0] as T | undefined;
    },
    async run(sql, ps) {
      return (await query(pool, sql, ps)).rowCount ?? 0;
    },
    async batch(steps) {
      // One statement, so one round trip and atomic: all but the last step become
      // data-modifying WITH clauses (PostgreSQL runs each exactly once).
      if (steps.length === 0) return;
      const values: unknown[] = [];
      const parts = steps.map((st) => {
        let i = 0;
        return st.sql.replace(/\?/g, () => {
          values.push(param(st.params[i++]));
          return `$${values.length}`;
        });
      });
      const last = parts.pop() as string;
      const sql = parts.length ? `WITH ${parts.map((p, i) => `s${i} AS (${p})`).join(", ")} ${last}` : last;
      await pool.query({ text: sql, values });
    },
    async guarded(first, then) {
      const c = await pool.connect();
      try {
        await c.query("BEGIN");
        if ((await query(c, first.sql, first.params)).rowCount !== 1) {
          await c.query("ROLLBACK");
          return false;
        }
        for (const s of then) await query(c, s.sql, s.params);
        await c.query("COMMIT");
        return true;
      } catch (err) {
        await c.query("ROLLBACK").catch(() => undefined);
        throw err;
      } finally {
        c.release();
      }
    },
    date: (v) => v as Date,
    dateOrNull: (v) => (v as Date | null) ?? null,
    async close() {
      await pool.end();
    },
  };
}

export function createSql(url: string): Sql {
  return databaseProvider(url) === "sqlite" ? sqliteSql(url.slice("file:".length)) : postgresSql(url);
}
