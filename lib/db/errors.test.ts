// "The database is unavailable", recognised from the real drivers' real errors (PostgreSQL on the
// test server, SQLite files) and from Prisma's wrappers of them; and not from errors that are bugs
// or bad requests, which stay 500 / their own answer.
import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { pgServerUrl } from "@test/db";
import { TemporarilyUnavailable } from "../oauth/errors";
import { asUnavailable, isDatabaseUnavailable, isSqliteBusy } from "./errors";

/** The error `p` rejects with (fails if it resolves). */
async function errorOf(p: Promise<unknown> | (() => unknown)): Promise<unknown> {
  try {
    await (typeof p === "function" ? p() : p);
  } catch (err) {
    return err;
  }
  throw new Error("expected an error");
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const { port } = s.address() as net.AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

describe("isDatabaseUnavailable: PostgreSQL (node-postgres, real errors)", () => {
  it("connection refused", async () => {
    const c = new pg.Client({ host: "127.0.0.1", port: await closedPort(), user: "postgres" });
    const err = await errorOf(c.connect());
    expect((err as { code?: string }).code).toBe("ECONNREFUSED");
    expect(isDatabaseUnavailable(err)).toBe(true);
  });

  it("statement timeout (57014)", async () => {
    const c = new pg.Client({ connectionString: pgServerUrl(), statement_timeout: 100 });
    await c.connect();
    try {
      const err = await errorOf(c.query("SELECT pg_sleep(2)"));
      expect((err as { code?: string }).code).toBe("57014");
      expect(isDatabaseUnavailable(err)).toBe(true);
    } finally {
      await c.end();
    }
  });

  it("the connection terminated by the server (57P01)", async () => {
    const victim = new pg.Client({ connectionString: pgServerUrl() });
    await victim.connect();
    victim.on("error", () => undefined);
    const pid = (await victim.query("SELECT pg_backend_pid() AS pid")).rows[0].pid as number;
    const sleeping = errorOf(victim.query("SELECT pg_sleep(5)"));
    const admin = new pg.Client({ connectionString: pgServerUrl() });
    await admin.connect();
    await new Promise((r) => setTimeout(r, 100));
    await admin.query("SELECT pg_terminate_backend($1)", [pid]);
    await admin.end();
    const err = await sleeping;
    expect((err as { code?: string }).code).toBe("57P01");
    expect(isDatabaseUnavailable(err)).toBe(true);
    await victim.end().catch(() => undefined);
  });

  it("waiting too long for a free connection of the pool", async () => {
    const pool = new pg.Pool({ connectionString: pgServerUrl(), max: 1, connectionTimeoutMillis: 150 });
    const held = await pool.connect();
    try {
      const err = await errorOf(pool.query("SELECT 1"));
      expect((err as Error).message).toBe("timeout exceeded when trying to connect");
      expect(isDatabaseUnavailable(err)).toBe(true);
    } finally {
      held.release();
      await pool.end();
    }
  });

  it("a server that does not answer (query_timeout)", async () => {
    const c = new pg.Client({ connectionString: pgServerUrl(), query_timeout: 100 });
    await c.connect();
    try {
      const err = await errorOf(c.query("SELECT pg_sleep(1)"));
      expect((err as Error).message).toBe("Query read timeout");
      expect(isDatabaseUnavailable(err)).toBe(true);
    } finally {
      await c.end();
    }
  });

  it("not: a unique violation (23505), a missing table (42P01), a syntax error (42601)", async () => {
    const c = new pg.Client({ connectionString: pgServerUrl() });
    await c.connect();
    try {
      await c.query("CREATE TEMP TABLE u (id int PRIMARY KEY)");
      await c.query("INSERT INTO u VALUES (1)");
      for (const sql of ["INSERT INTO u VALUES (1)", "SELECT * FROM no_such_table", "SELEC 1"]) {
        expect(isDatabaseUnavailable(await errorOf(c.query(sql)))).toBe(false);
      }
    } finally {
      await c.end();
    }
  });
});

describe("isDatabaseUnavailable: SQLite (better-sqlite3, real errors)", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "latchkey-dberr-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("busy: another connection holds the write lock", () => {
    const file = path.join(dir, "busy.db");
    const a = new Database(file);
    const b = new Database(file, { timeout: 0 });
    a.exec("CREATE TABLE t (x)");
    a.exec("BEGIN IMMEDIATE");
    try {
      const err = (() => {
        try {
          b.exec("INSERT INTO t VALUES (1)");
        } catch (e) {
          return e;
        }
      })();
      expect((err as { code?: string }).code).toBe("SQLITE_BUSY");
      expect(isDatabaseUnavailable(err)).toBe(true);
      expect(isSqliteBusy(err)).toBe(true);
    } finally {
      a.exec("ROLLBACK");
      a.close();
      b.close();
    }
  });

  it("full (SQLITE_FULL) and cannot open (SQLITE_CANTOPEN)", async () => {
    const db = new Database(path.join(dir, "full.db"));
    db.exec("CREATE TABLE t (x)");
    db.pragma("max_page_count = 2");
    const full = await errorOf(() => db.prepare("INSERT INTO t VALUES (?)").run("x".repeat(100_000)));
    expect((full as { code?: string }).code).toBe("SQLITE_FULL");
    expect(isDatabaseUnavailable(full)).toBe(true);
    db.close();
    const cantOpen = await errorOf(() => new Database(dir)); // a directory is no database file
    expect((cantOpen as { code?: string }).code).toBe("SQLITE_CANTOPEN");
    expect(isDatabaseUnavailable(cantOpen)).toBe(true);
  });

  it("not: a constraint violation", async () => {
    const db = new Database(":memory:");
    db.exec("CREATE TABLE t (x PRIMARY KEY); INSERT INTO t VALUES (1)");
    const err = await errorOf(() => db.exec("INSERT INTO t VALUES (1)"));
    expect(isDatabaseUnavailable(err)).toBe(false);
    expect(isSqliteBusy(err)).toBe(false);
    db.close();
  });
});

describe("isDatabaseUnavailable: Prisma's wrappers", () => {
  // The shapes Prisma 6.19's client throws: a known request error with `code`, and the driver
  // adapter's error under meta.driverAdapterError with the driver's code as cause.originalCode.
  const known = (code: string, meta: object = {}) => Object.assign(new Error("Prisma says so"), { name: "PrismaClientKnownRequestError", code, meta });

  it.each(["P1001", "P1002", "P1008", "P1017", "P2024", "P2037"])("%s", (code) => {
    expect(isDatabaseUnavailable(known(code))).toBe(true);
  });

  it("a driver adapter error carrying SQLITE_BUSY, a PostgreSQL 57014, or a lost connection", () => {
    const adapterError = (cause: object) => known("P2010", { driverAdapterError: Object.assign(new Error("DriverAdapterError"), { cause }) });
    expect(isDatabaseUnavailable(adapterError({ kind: "SocketTimeout", originalCode: "SQLITE_BUSY" }))).toBe(true);
    expect(isSqliteBusy(adapterError({ kind: "sqlite", originalCode: "SQLITE_BUSY_SNAPSHOT" }))).toBe(true);
    expect(isDatabaseUnavailable(adapterError({ kind: "postgres", code: "57014" }))).toBe(true);
    expect(isDatabaseUnavailable(adapterError({ kind: "ConnectionClosed" }))).toBe(true);
    expect(isDatabaseUnavailable(adapterError({ kind: "UniqueConstraintViolation" }))).toBe(false);
  });

  it.each(["P2002", "P2003", "P2025", "P2021"])("not %s (a constraint, a missing row or table)", (code) => {
    expect(isDatabaseUnavailable(known(code))).toBe(false);
  });

  it("not: plain errors and non-errors", () => {
    for (const e of [new TypeError("x is undefined"), new Error("boom"), "ECONNREFUSED", null, undefined, 42]) {
      expect(isDatabaseUnavailable(e)).toBe(false);
    }
  });
});

describe("asUnavailable", () => {
  it("turns an unavailable database into TemporarilyUnavailable (503, temporarily_unavailable, no internal text)", () => {
    const err = asUnavailable(Object.assign(new Error('relation "AccessToken" lock timeout at 10.0.0.5:5432'), { code: "57014" }));
    expect(err).toBeInstanceOf(TemporarilyUnavailable);
    const t = err as TemporarilyUnavailable;
    expect([t.error, t.status, t.retryAfterSeconds]).toStrictEqual(["temporarily_unavailable", 503, 5]);
    expect(t.description).toBe("The service is temporarily unavailable; try again in a few seconds.");
  });

  it("leaves anything else as it was", () => {
    const bug = new TypeError("x is undefined");
    expect(asUnavailable(bug)).toBe(bug);
    const t = new TemporarilyUnavailable();
    expect(asUnavailable(t)).toBe(t);
  });
});
