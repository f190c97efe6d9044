// A minimal SQL runner over the raw drivers, for the protocol's hot paths only. Prisma 6.19 runs
// its WebAssembly query compiler on every call, which costs more CPU than a whole token grant
// should; a prepared statement costs next to nothing (figures: docs/architecture.md, "Prepared
// SQL instead of Prisma"). Everything else keeps using Prisma.
// SQL is written once with `?` placeholders and "quoted" identifiers, valid on both providers.
import { setTimeout as sleep } from "node:timers/promises";
import Database from "better-sqlite3";
import pg from "pg";
import { databaseLimits, databaseProvider, sqliteSynchronous, type DatabaseLimits } from "../../config/database-url";
import { asUnavailable } from "../errors";
import { pgTimeouts } from "../pg-timeouts";
import { sqliteWriter, type WriteStep } from "./sqlite-writer";
import { restrictSqliteFile } from "../sqlite-file";
import type { SqlStats } from "../../ops/metrics";

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
  /** Runs one writing statement with a RETURNING clause; its first row (undefined: none changed). */
  returning<T>(sql: string, params: unknown[]): Promise<T | undefined>;
  /**
   * In one transaction: runs `steps` again until a pass changes no row (at most 5 passes), then
   * `after`. On PostgreSQL (READ COMMITTED) each pass is a new statement with a new snapshot, so
   * it sees rows a concurrent transaction committed while the previous pass waited for its locks
   * (see revokeGrant in ./tokens.ts). On SQLite the writer is serial: the second pass finds none.
   */
  repeat(steps: Step[], after: Step[]): Promise<void>;
  date(v: unknown): Date;
  dateOrNull(v: unknown): Date | null;
  /** The pool (PostgreSQL) or the writer's queue (SQLite), for the metrics; read at scrape time, never per request. */
  stats(): SqlStats;
  close(): Promise<void>;
}

/**
 * SQLite: reads on a connection of this thread (prepared statements); writes on
 * a worker thread that group-commits them (lib/db/protocol/sqlite-writer.ts). Reads never wait for
 * the writer's lock in WAL mode; SQLITE_BUSY on a read (a checkpoint) is retried asynchronously.
 */
function sqliteSql(file: string, limits: DatabaseLimits): Sql {
  restrictSqliteFile(`file:${file}`);
  const db = new Database(file, { timeout: 0 });
  db.pragma(`synchronous = ${sqliteSynchronous()}`);
  // The writer's thread may wait for another process's write lock (not the event loop), up to the budget.
  const writer = sqliteWriter(file, sqliteSynchronous(), limits.busyRetryMs);
  const cache = new Map<string, Database.Statement>();
  const stmt = (sql: string) => {
    let s = cache.get(sql);
    if (!s) cache.set(sql, (s = db.prepare(sql)));
    return s;
  };
  // Prisma's SQLite encoding: ISO-8601 text with "+00:00", booleans as 0/1.
  const param = (v: unknown) =>
    v instanceof Date ? v.toISOString().replace("Z", "+00:00") : typeof v === "boolean" ? (v ? 1 : 0) : v;
  const step = (s: Step): WriteStep => ({ sql: s.sql, params: s.params.map(param) });

  async function retry<T>(f: () => T): Promise<T> {
    const deadline = Date.now() + limits.busyRetryMs;
    for (let attempt = 0; ; attempt++) {
      try {
        return f();
      } catch (err) {
        if ((err as { code?: string }).code !== "SQLITE_BUSY" || Date.now() >= deadline) throw asUnavailable(err);
        await sleep(Math.min(1 + attempt, 10));
      }
    }
  }
  const write = async (w: Parameters<typeof writer.write>[0]) => {
    try {
      return await writer.write(w);
    } catch (err) {
      throw asUnavailable(err);
    }
  };

  return {
    async one<T>(sql: string, ps: unknown[]) {
      return retry(() => stmt(sql).get(...ps.map(param)) as T | undefined);
    },
    async run(sql, ps) {
      return (await write({ kind: "run", steps: [step({ sql, params: ps })] })) as number;
    },
    async batch(steps) {
      await write({ kind: "batch", steps: steps.map(step) });
    },
    async guarded(first, then) {
      return (await write({ kind: "guarded", steps: [first, ...then].map(step) })) === true;
    },
    async returning<T>(sql: string, ps: unknown[]) {
      return (await writer.write({ kind: "get", steps: [step({ sql, params: ps })] })) as T | undefined;
    },
    async repeat(steps, after) {
      await writer.write({ kind: "repeat", steps: steps.map(step), after: after.map(step) });
    },
    date: (v) => new Date(v as string),
    dateOrNull: (v) => (v == null ? null : new Date(v as string)),
    stats: () => ({ writerQueue: writer.queued() }),
    async close() {
      await writer.close();
      db.close();
    },
  };
}

/** `INSERT INTO "T" (...) VALUES (...)`: the target and the value list. */
const INSERT_VALUES = /^INSERT INTO (.+?) VALUES \((.*)\)$/s;

/** PostgreSQL: its own small pool; `timestamp(3)` columns hold UTC, read back as UTC. */
function postgresSql(url: string, limits: DatabaseLimits): Sql {
  const TIMESTAMP = 1114;
  const pool = new pg.Pool({
    connectionString: url,
    max: 8,
    ...pgTimeouts(limits),
    types: {
      getTypeParser: ((oid: number, format?: string) =>
        oid === TIMESTAMP
          ? (s: string) => new Date(`${s.replace(" ", "T")}Z`)
          : pg.types.getTypeParser(oid, format as "text")) as typeof pg.types.getTypeParser,
    },
  });
  // An idle connection that the server ends (restart, failover, a dropped test database) emits
  // "error" on the pool; unhandled, that would crash the process. The pool discards the client
  // and the next query opens a new one; a query in flight still gets its own error.
  pool.on("error", () => undefined);
  const numbered = new Map<string, string>();
  const text = (sql: string) => {
    let t = numbered.get(sql);
    if (!t) {
      let n = 0;
      numbered.set(sql, (t = sql.replace(/\?/g, () => `$${++n}`)));
    }
    return t;
  };
  // Named (prepared) statements: each connection parses and plans a statement once, not on
  // every request. The hot paths use a handful of fixed statement texts.
  const names = new Map<string, string>();
  const nameOf = (t: string): string | undefined => {
    let n = names.get(t);
    if (!n && names.size < 100) names.set(t, (n = `lk${names.size}`)); // bounded: never a leak
    return n;
  };
  const param = (v: unknown) => (v instanceof Date ? v.toISOString() : v);
  const query = (c: pg.Pool | pg.PoolClient, sql: string, ps: unknown[]) => {
    const t = text(sql);
    return c.query({ name: nameOf(t), text: t, values: ps.map(param) });
  };
  /** `sql` with its `?` placeholders numbered after those already in `values`, where its params go. */
  const numberedInto = (values: unknown[], sql: string, params: unknown[]) => {
    let i = 0;
    return sql.replace(/\?/g, () => {
      values.push(param(params[i++]));
      return `$${values.length}`;
    });
  };
  /** One statement, atomic: all but the last part become data-modifying WITH clauses (PostgreSQL
   * runs each exactly once). */
  const chained = (parts: string[]) => {
    const last = parts.pop() as string;
    return parts.length ? `WITH ${parts.map((p, i) => `s${i} AS (${p})`).join(", ")} ${last}` : last;
  };

  /** The steps as one statement: one round trip. */
  async function batchStatement(steps: Step[]): Promise<void> {
    const values: unknown[] = [];
    const sql = chained(steps.map((st) => numberedInto(values, st.sql, st.params)));
    try {
      await pool.query({ name: nameOf(sql), text: sql, values });
    } catch (err) {
      throw asUnavailable(err);
    }
  }

  type Waiting = { steps: Step[]; resolve(): void; reject(err: unknown): void };
  const coalescing = new Map<string, Waiting[]>();
  /** Enough to cover every request in flight on a busy instance; far below 65,535 parameters. */
  const MAX_COALESCED = 64;

  /** The multi-row statement for `rows` batches of `key`'s INSERTs: built once per size (a few
   * sizes recur under load), not per group. Its values go step by step, batch by batch, one per
   * placeholder (`arity[step]` of them), as numberedInto takes them. */
  const multiRow = new Map<string, { sql: string; arity: number[] }>();
  const multiRowSql = (key: string, steps: Step[], rows: number) => {
    const k = `${rows}\n${key}`;
    let m = multiRow.get(k);
    if (!m) {
      const values: unknown[] = [];
      const arity: number[] = [];
      const sql = chained(
        steps.map((st) => {
          const [, target, placeholders] = INSERT_VALUES.exec(st.sql) as RegExpExecArray;
          const before = values.length;
          const list = Array.from({ length: rows }, () => `(${numberedInto(values, placeholders as string, st.params)})`);
          arity.push((values.length - before) / rows);
          return `INSERT INTO ${target} VALUES ${list.join(", ")}`;
        }),
      );
      m = { sql, arity };
      if (multiRow.size < 256) multiRow.set(k, m); // bounded: MAX_COALESCED sizes of a few keys
    }
    return m;
  };

  /**
   * Many batches of the same INSERTs (client_credentials: the token's row and its audit event)
   * as one multi-row statement: one round trip, one transaction and one WAL flush for all of them
   * instead of one each (what it saved: docs/architecture.md, "PostgreSQL: prepared, one statement
   * per guarded write, coalescing"). The statement is
   * atomic; if it fails (a row breaking a constraint), each batch runs again on its own, so one
   * bad batch fails alone and the others are written, exactly as without coalescing. If it fails
   * because the database is unavailable, every batch fails at once (issue 18 §2: no second wait).
   */
  async function coalesced(key: string, group: Waiting[]): Promise<void> {
    if (group.length === 1) {
      const [only] = group as [Waiting];
      return batchStatement(only.steps).then(only.resolve, only.reject);
    }
    const steps = (group[0] as Waiting).steps;
    const { sql, arity } = multiRowSql(key, steps, group.length);
    const values: unknown[] = [];
    for (let i = 0; i < steps.length; i++) {
      for (const w of group) {
        const ps = (w.steps[i] as Step).params;
        for (let j = 0; j < (arity[i] as number); j++) values.push(param(ps[j]));
      }
    }
    try {
      await pool.query({ name: nameOf(sql), text: sql, values });
    } catch (err) {
      // The database is away (or too slow): every batch would wait as long again. Fail them all now.
      const unavailable = asUnavailable(err);
      if (unavailable !== err) {
        for (const w of group) w.reject(unavailable);
        return;
      }
      await Promise.all(group.map((w) => batchStatement(w.steps).then(w.resolve, w.reject)));
      return;
    }
    for (const w of group) w.resolve();
  }

  /** The general form: a transaction, rolled back unless the first step changes exactly one row. */
  async function guardedInTransaction(first: Step, then: Step[]): Promise<boolean> {
    let c: pg.PoolClient;
    try {
      c = await pool.connect();
    } catch (err) {
      throw asUnavailable(err);
    }
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
      throw asUnavailable(err);
    } finally {
      c.release();
    }
  }
  return {
    // Errors as TemporarilyUnavailable when the database is away (a try costs nothing until it throws).
    async one<T>(sql: string, ps: unknown[]) {
      try {
        return (await query(pool, sql, ps)).rows[0] as T | undefined;
      } catch (err) {
        throw asUnavailable(err);
      }
    },
    async run(sql, ps) {
      try {
        return (await query(pool, sql, ps)).rowCount ?? 0;
      } catch (err) {
        throw asUnavailable(err);
      }
    },
    async batch(steps) {
      if (steps.length === 0) return;
      if (!steps.every((st) => INSERT_VALUES.test(st.sql))) return batchStatement(steps);
      // Batches of the same INSERTs made in one turn of the event loop go to PostgreSQL as one
      // statement (see coalesced below).
      const key = steps.map((st) => st.sql).join("\n");
      return new Promise<void>((resolve, reject) => {
        let group = coalescing.get(key);
        if (!group) {
          const fresh: Waiting[] = (group = []);
          coalescing.set(key, fresh);
          setImmediate(() => {
            if (coalescing.get(key) === fresh) coalescing.delete(key);
            void coalesced(key, fresh);
          });
        }
        group.push({ steps, resolve, reject });
        if (group.length === MAX_COALESCED) coalescing.delete(key); // full: the next batch starts a new group
      });
    },
    async guarded(first, then) {
      // One statement, one round trip: the guard is a data-modifying WITH clause, and each
      // INSERT ... VALUES that follows becomes INSERT ... SELECT, run only if the guard changed
      // exactly one row. The statement is atomic; a concurrent guard on the same row waits for
      // this one's commit, re-checks its WHERE and changes nothing. (PostgreSQL infers the
      // parameters' types from the INSERT's target columns, as with VALUES.)
      if (then.some((st) => !INSERT_VALUES.test(st.sql))) return guardedInTransaction(first, then);
      const values: unknown[] = [];
      const numbered = (st: Step) => numberedInto(values, st.sql, st.params);
      const clauses = [`g AS (${numbered(first)} RETURNING 1)`];
      then.forEach((st, i) => {
        const m = INSERT_VALUES.exec(numbered(st)) as RegExpExecArray;
        clauses.push(`s${i} AS (INSERT INTO ${m[1]} SELECT ${m[2]} WHERE (SELECT count(*) FROM g) = 1)`);
      });
      const statement = `WITH ${clauses.join(", ")} SELECT count(*)::int AS "n" FROM g`;
      try {
        const r = await pool.query({ name: nameOf(statement), text: statement, values });
        return (r.rows[0] as { n: number }).n === 1;
      } catch (err) {
        throw asUnavailable(err);
      }
    },
    async returning<T>(sql: string, ps: unknown[]) {
      return (await query(pool, sql, ps)).rows[0] as T | undefined;
    },
    async repeat(steps, after) {
      const c = await pool.connect();
      try {
        await c.query("BEGIN");
        for (let pass = 0; pass < 5; pass++) {
          let changed = 0;
          for (const s of steps) changed += (await query(c, s.sql, s.params)).rowCount ?? 0;
          if (changed === 0) break;
        }
        for (const s of after) await query(c, s.sql, s.params);
        await c.query("COMMIT");
      } catch (err) {
        await c.query("ROLLBACK").catch(() => undefined);
        throw err;
      } finally {
        c.release();
      }
    },
    date: (v) => v as Date,
    dateOrNull: (v) => (v as Date | null) ?? null,
    stats: () => ({ pool: { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount } }),
    async close() {
      await pool.end();
    },
  };
}

export function createSql(url: string, limits: DatabaseLimits = databaseLimits()): Sql {
  return databaseProvider(url) === "sqlite" ? sqliteSql(url.slice("file:".length), limits) : postgresSql(url, limits);
}
