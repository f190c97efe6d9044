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
