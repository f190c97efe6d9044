// The SQLite connection of the hot-path runner honours SQLITE_SYNCHRONOUS (FULL by default).
import { afterEach, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createSql } from "./sql";
import { tempDatabase } from "@test/db";

const saved = process.env.SQLITE_SYNCHRONOUS;
afterEach(() => {
  if (saved === undefined) delete process.env.SQLITE_SYNCHRONOUS;
  else process.env.SQLITE_SYNCHRONOUS = saved;
});

async function synchronousOf(setting: string | undefined): Promise<number> {
  if (setting === undefined) delete process.env.SQLITE_SYNCHRONOUS;
  else process.env.SQLITE_SYNCHRONOUS = setting;
  const dir = mkdtempSync(path.join(tmpdir(), "latchkey-sql-"));
  const sql = createSql(`file:${path.join(dir, "x.db")}`);
  try {
    return Number((await sql.one<{ synchronous: number }>("PRAGMA synchronous", []))!.synchronous);
  } finally {
    await sql.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("hot-path SQLite connection", () => {
  it("uses synchronous=FULL (2) by default and NORMAL (1) when configured", async () => {
    expect(await synchronousOf(undefined)).toBe(2);
    expect(await synchronousOf("NORMAL")).toBe(1);
    expect(await synchronousOf("full")).toBe(2);
  });
});

describe("hot-path SQLite writes are group-committed", () => {
  async function withSql<T>(f: (sql: ReturnType<typeof createSql>) => Promise<T>): Promise<T> {
    const dir = mkdtempSync(path.join(tmpdir(), "latchkey-sql-"));
    const sql = createSql(`file:${path.join(dir, "x.db")}`);
    try {
      await sql.run('CREATE TABLE "t" ("id" INTEGER PRIMARY KEY, "v" TEXT NOT NULL)', []);
      return await f(sql);
    } finally {
      await sql.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it("writes queued in one turn commit together; a failing one undoes only itself", async () => {
    await withSql(async (sql) => {
      const results = await Promise.allSettled([
        sql.run('INSERT INTO "t" ("id", "v") VALUES (?, ?)', [1, "a"]),
        sql.run('INSERT INTO "t" ("id", "v") VALUES (?, ?)', [1, "dup"]), // primary key violation
        sql.batch([
          { sql: 'INSERT INTO "t" ("id", "v") VALUES (?, ?)', params: [2, "b"] },
          { sql: 'INSERT INTO "t" ("id", "v") VALUES (?, ?)', params: [3, null] }, // NOT NULL violation
        ]),
        sql.run('INSERT INTO "t" ("id", "v") VALUES (?, ?)', [4, "d"]),
      ]);
      expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "rejected", "fulfilled"]);
      // The failed batch left nothing (not even its first row); the others are committed.
      const rows = await sql.one<{ ids: string }>('SELECT group_concat("id") AS "ids" FROM (SELECT "id" FROM "t" ORDER BY "id")', []);
      expect(rows?.ids).toBe("1,4");
    });
  });

  it("guarded: exactly one of many concurrent guarded writes on one row wins, in one batch", async () => {
    await withSql(async (sql) => {
      await sql.run('INSERT INTO "t" ("id", "v") VALUES (?, ?)', [1, "fresh"]);
      const outcomes = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          sql.guarded({ sql: `UPDATE "t" SET "v" = 'used' WHERE "id" = 1 AND "v" = 'fresh'`, params: [] }, [
            { sql: 'INSERT INTO "t" ("id", "v") VALUES (?, ?)', params: [100 + i, "winner"] },
          ]),
        ),
      );
      expect(outcomes.filter(Boolean)).toHaveLength(1);
      const n = await sql.one<{ n: number }>(`SELECT count(*) AS "n" FROM "t" WHERE "v" = 'winner'`, []);
      expect(Number(n?.n)).toBe(1);
    });
  });

  it("guarded: a first step that changes more than one row undoes the whole write, and the batch's other writes stand", async () => {
    await withSql(async (sql) => {
      await sql.run('INSERT INTO "t" ("id", "v") VALUES (1, \'x\'), (2, \'x\')', []);
      const [a, guardedResult, c] = await Promise.all([
        sql.run('INSERT INTO "t" ("id", "v") VALUES (?, ?)', [10, "before"]),
        sql.guarded({ sql: `UPDATE "t" SET "v" = 'changed' WHERE "v" = 'x'`, params: [] }, [
          { sql: 'INSERT INTO "t" ("id", "v") VALUES (?, ?)', params: [20, "guarded"] },
        ]),
        sql.run('INSERT INTO "t" ("id", "v") VALUES (?, ?)', [30, "after"]),
      ]);
      expect([a, guardedResult, c]).toEqual([1, false, 1]);
      const rows = await sql.one<{ rows: string }>('SELECT group_concat("id" || \':\' || "v") AS "rows" FROM (SELECT * FROM "t" ORDER BY "id")', []);
      expect(rows?.rows).toBe("1:x,2:x,10:before,30:after");
    });
  });
});

describe("closing the hot-path SQLite connection", () => {
  it("commits the writes queued before close, then refuses new ones", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "latchkey-sql-"));
    const file = path.join(dir, "x.db");
    try {
      const sql = createSql(`file:${file}`);
      await sql.run('CREATE TABLE "t" ("id" INTEGER PRIMARY KEY)', []);
      const writes = [1, 2, 3].map((id) => sql.run('INSERT INTO "t" ("id") VALUES (?)', [id]));
      const closed = sql.close();
      expect(await Promise.all(writes)).toEqual([1, 1, 1]);
      await closed;
      await expect(sql.run('INSERT INTO "t" ("id") VALUES (?)', [4])).rejects.toThrow(/closed/);
      const again = createSql(`file:${file}`);
      try {
        expect(Number((await again.one<{ n: number }>('SELECT count(*) AS "n" FROM "t"', []))?.n)).toBe(3);
      } finally {
        await again.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("PostgreSQL: batches of the same INSERTs made in one turn", () => {
  async function withPg<T>(f: (sql: ReturnType<typeof createSql>) => Promise<T>): Promise<T> {
    const t = await tempDatabase("postgres");
    const sql = createSql(t.url);
    t.onDrop(() => sql.close());
    try {
      // "tx" records the transaction that wrote each row.
      await sql.run('CREATE TABLE "a" ("id" INTEGER PRIMARY KEY, "v" TEXT NOT NULL, "tx" BIGINT NOT NULL DEFAULT txid_current())', []);
      await sql.run('CREATE TABLE "b" ("id" INTEGER PRIMARY KEY REFERENCES "a" ("id"), "at" TIMESTAMP(3) NOT NULL, "tx" BIGINT NOT NULL DEFAULT txid_current())', []);
      return await f(sql);
    } finally {
      await t.drop();
    }
  }
  const pair = (id: number, v: string) => [
    { sql: 'INSERT INTO "a" ("id", "v") VALUES (?, ?)', params: [id, v] },
    { sql: 'INSERT INTO "b" ("id", "at") VALUES (?, ?)', params: [id, new Date(Date.UTC(2026, 0, 1, 0, 0, id))] },
  ];

  it("are written in one statement, each row with its own values", async () => {
    await withPg(async (sql) => {
      await Promise.all(Array.from({ length: 20 }, (_, i) => sql.batch(pair(i + 1, `v${i + 1}`))));
      const rows = await sql.one<{ n: number; txs: number; ok: number }>(
        'SELECT count(*)::int AS "n", count(DISTINCT a."tx")::int AS "txs", count(*) FILTER (WHERE a."v" = \'v\' || a."id" AND b."at" = TIMESTAMP \'2026-01-01\' + a."id" * INTERVAL \'1 second\' AND b."tx" = a."tx")::int AS "ok" FROM "a" a JOIN "b" b ON b."id" = a."id"',
        [],
      );
      expect(rows).toEqual({ n: 20, txs: 1, ok: 20 });
    });
  });

  it("one batch breaking a constraint fails alone, leaving nothing; the others are written", async () => {
    await withPg(async (sql) => {
      await sql.batch(pair(5, "existing"));
      const results = await Promise.allSettled([1, 2, 5, 3].map((id) => sql.batch(pair(id, `new${id}`))));
      expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled", "rejected", "fulfilled"]);
      expect(String((results[2] as PromiseRejectedResult).reason)).toMatch(/duplicate key/);
      const rows = await sql.one<{ ids: string }>('SELECT string_agg(a."id" || \':\' || a."v", \',\' ORDER BY a."id") AS "ids" FROM "a" a JOIN "b" b ON b."id" = a."id"', []);
      expect(rows?.ids).toBe("1:new1,2:new2,3:new3,5:existing");
    });
  });

  it("batches of different statements are not mixed", async () => {
    await withPg(async (sql) => {
      await Promise.all([
        sql.batch(pair(1, "x")),
        sql.batch([{ sql: 'INSERT INTO "a" ("id", "v") VALUES (?, ?)', params: [2, "only-a"] }]),
        sql.batch(pair(3, "y")),
      ]);
      const rows = await sql.one<{ a: string; b: string }>(
        'SELECT (SELECT string_agg("id"::text, \',\' ORDER BY "id") FROM "a") AS "a", (SELECT string_agg("id"::text, \',\' ORDER BY "id") FROM "b") AS "b"',
        [],
      );
      expect(rows).toEqual({ a: "1,2,3", b: "1,3" });
    });
  });
});
