// The SQLite database, its WAL and its shared-memory file are readable by this user only.
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createDb, prepareDb } from "./client";

const mode = (f: string) => statSync(f).mode & 0o777;

describe("SQLite file modes", () => {
  let dir: string;
  let umask: number;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), "latchkey-mode-"));
    // The usual umask, under which SQLite alone would create 0644 files.
    umask = process.umask(0o022);
  });
  afterEach(() => {
    process.umask(umask);
    rmSync(dir, { recursive: true, force: true });
  });

  it("creates the database, -wal and -shm 0600", async () => {
    const file = path.join(dir, "sub", "latchkey.db");
    const url = `file:${file}`;
    const db = createDb(url);
    try {
      await prepareDb(db, url); // WAL mode
      await db.$executeRawUnsafe("CREATE TABLE t (x INTEGER)");
      await db.$executeRawUnsafe("INSERT INTO t VALUES (1)");
      expect(existsSync(`${file}-wal`)).toBe(true);
      expect(existsSync(`${file}-shm`)).toBe(true);
      expect([mode(file), mode(`${file}-wal`), mode(`${file}-shm`)]).toEqual([0o600, 0o600, 0o600]);
    } finally {
      await db.$disconnect();
    }
  });

  it("tightens a database file that was left 0644", async () => {
    const file = path.join(dir, "old.db");
    writeFileSync(file, "", { mode: 0o644 });
    writeFileSync(`${file}-wal`, "", { mode: 0o644 });
    expect(mode(file)).toBe(0o644);
    const db = createDb(`file:${file}`);
    await db.$disconnect();
    expect([mode(file), mode(`${file}-wal`)]).toEqual([0o600, 0o600]);
  });
});

describe("SQLite file modes with a connection open", () => {
  it("a second client in the same process does not break the first one's locks", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "latchkey-mode-"));
    const url = `file:${path.join(dir, "x.db")}`;
    const a = createDb(url);
    try {
      await prepareDb(a, url);
      await a.$executeRawUnsafe("CREATE TABLE t (x INTEGER)");
      await a.$transaction(async (tx) => {
        await tx.$executeRawUnsafe("INSERT INTO t VALUES (1)");
        const b = createDb(url); // re-checks the file's mode while `a` holds its locks
        await b.$disconnect();
        await tx.$executeRawUnsafe("INSERT INTO t VALUES (2)");
      });
      expect(await a.$queryRawUnsafe("SELECT COUNT(*) AS n FROM t")).toEqual([{ n: 2n }]);
    } finally {
      await a.$disconnect();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
