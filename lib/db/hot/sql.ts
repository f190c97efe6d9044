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
  /** Runs the steps in one transaction if the first changes exactly one row; else changes nothing. */
  guarded(first: Step, then: Step[]): Promise<boolean>;
  date(v: unknown): Date;
  dateOrNull(v: unknown): Date | null;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * SQLite: a second connection to the same WAL file. Its transactions are synchronous (no
 * await inside), so it never holds a lock across event-loop turns; when Prisma's connection
 * holds the write lock (an interactive transaction), SQLITE_BUSY is retried asynchronously
 * instead of blocking the thread (busy timeout 0), which would stall the transaction we wait for.
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
  async function retry<T>(f: () => T): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return f();
      } catch (err) {
        if ((err as { code?: string }).code !== "SQLITE_BUSY" || attempt > 500) throw err;
        await sleep(Math.min(1 + attempt, 10));
      }
    }
  }
  return {
    async one<T>(sql: string, ps: unknown[]) {
      return retry(() => stmt(sql).get(...params(ps)) as T | undefined);
    },
    async run(sql, ps) {
      return retry(() => stmt(sql).run(...params(ps)).changes);
    },
    async guarded(first, then) {
      const tx = db.transaction(() => {
        if (stmt(first.sql).run(...params(first.params)).changes !== 1) return false;
        for (const s of then) stmt(s.sql).run(...params(s.params));
        return true;
      });
      return retry(() => tx.immediate());
    },
    date: (v) => new Date(v as string),
    dateOrNull: (v) => (v == null ? null : new Date(v as string)),
    async close() {
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
