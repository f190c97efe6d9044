// The SQLite connection of the hot-path runner honours SQLITE_SYNCHRONOUS (FULL by default).
import { afterEach, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createSql } from "./sql";

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
