// The online SQLite backup (lib/db/backup.ts) on real SQLite files in WAL mode: consistent while
// another connection (a thread of its own, as the server is a process of its own) commits without
// pause; mode 0600; --force; and a failed backup leaves nothing behind.
import { createRequire } from "node:module";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BackupRefused, backupSqlite } from "./backup";

const mode = (f: string) => statSync(f).mode & 0o777;

/** Commits one row per transaction, as fast as it can, until told to stop; publishes the last committed id. */
const WRITER = `
const { workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const shared = new Int32Array(workerData.shared);
const db = new Database(workerData.file, { timeout: 5000 });
db.pragma("synchronous = NORMAL");
const insert = db.prepare("INSERT INTO t (id, v) VALUES (?, randomblob(200))");
let id = workerData.from;
while (Atomics.load(shared, 1) === 0) {
  insert.run(++id); // autocommit: one transaction per row
  Atomics.store(shared, 0, id);
}
db.close();
`;

describe("backupSqlite", () => {
  let dir: string;
  let source: string;
  let umask: number;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), "latchkey-backup-"));
    source = path.join(dir, "live.db");
    // The usual umask, under which SQLite alone would create the copy 0644.
    umask = process.umask(0o022);
  });
  afterEach(() => {
    process.umask(umask);
    rmSync(dir, { recursive: true, force: true });
  });

  /** A WAL database with `rows` rows of 1 KiB in table t (ids 1..rows). */
  function makeDatabase(rows: number): void {
    const db = new Database(source);
    db.pragma("journal_mode = WAL");
    db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v BLOB NOT NULL)");
    db.prepare("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) INSERT INTO t (id, v) SELECT i, randomblob(1024) FROM n").run(rows);
    db.close();
  }

  it("copies every row committed before it started, consistently, while another connection commits without pause; the copy is 0600", async () => {
    const PREFILLED = 30_000;
    makeDatabase(PREFILLED);
    const shared = new SharedArrayBuffer(8);
    const counter = new Int32Array(shared);
    const driver = createRequire(import.meta.url).resolve("better-sqlite3");
    const writer = new Worker(WRITER, { eval: true, workerData: { driver, file: source, shared, from: PREFILLED } });
    const exited = new Promise((resolve, reject) => {
      writer.on("exit", resolve);
      writer.on("error", reject);
    });
    try {
      // The writer is committing before the backup starts.
      while (Atomics.load(counter, 0) < PREFILLED + 200) await new Promise((r) => setTimeout(r, 5));
      const before = Atomics.load(counter, 0);
      const target = path.join(dir, "backup.db");
      const result = await backupSqlite(source, target, { force: false });
      const after = Atomics.load(counter, 0);
      Atomics.store(counter, 1, 1);
      await exited;

      // The writer went on committing while the backup ran (it was not blocked).
      expect(after).toBeGreaterThan(before);
      expect(result).toStrictEqual({ file: target, bytes: statSync(target).size, pages: expect.any(Number), seconds: expect.any(Number) });
      expect(result.pages * 4096).toBe(result.bytes);
      expect(mode(target)).toBe(0o600);

      const copy = new Database(target, { readonly: true });
      try {
        expect(copy.pragma("integrity_check", { simple: true })).toBe("ok");
        const { n, max } = copy.prepare("SELECT COUNT(*) AS n, MAX(id) AS max FROM t").get() as { n: number; max: number };
        // Every row committed before the backup started is there, and the copy is one snapshot:
        // ids 1..max without a gap (the writer commits them in order), none from after it ended.
        expect(max).toBeGreaterThanOrEqual(before);
        expect(max).toBeLessThanOrEqual(after);
        expect(n).toBe(max);
      } finally {
        copy.close();
      }
      // Nothing else left beside it (no temporary file, no journal).
      expect(readdirSync(dir).filter((f) => !f.startsWith("live.db")).sort()).toEqual(["backup.db", "backup.db-shm", "backup.db-wal"]);
    } finally {
      Atomics.store(counter, 1, 1);
      await exited.catch(() => undefined);
    }
  });

  it("refuses an existing file without --force and leaves it as it was; --force replaces it", async () => {
    makeDatabase(10);
    const target = path.join(dir, "backup.db");
    writeFileSync(target, "an older backup");
    const refused = await backupSqlite(source, target, { force: false }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(BackupRefused);
    expect((refused as Error).message).toBe(`${target} already exists: choose another name, or add --force to replace it.`);
    expect(readFileSync(target, "utf8")).toBe("an older backup");
    expect(readdirSync(dir).sort()).toEqual(["backup.db", "live.db"]);

    const replaced = await backupSqlite(source, target, { force: true });
    expect(replaced.file).toBe(target);
    expect(mode(target)).toBe(0o600);
    const copy = new Database(target, { readonly: true });
    expect(copy.prepare("SELECT COUNT(*) AS n FROM t").get()).toEqual({ n: 10 });
    copy.close();
  });

  it("never writes over the live database, even with --force", async () => {
    makeDatabase(10);
    // The -wal by name too when it does not exist (the server stopped): a copy there would be taken for the WAL.
    for (const target of [source, `${source}-wal`, `${source}-shm`]) {
      const refused = await backupSqlite(source, target, { force: true }).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(BackupRefused);
      expect((refused as Error).message).toBe(`${target} is the live database (or one of its files): back up to another file.`);
    }
    expect(readdirSync(dir)).toEqual(["live.db"]);
    const db = new Database(source, { readonly: true });
    expect(db.prepare("SELECT COUNT(*) AS n FROM t").get()).toEqual({ n: 10 });
    db.close();
  });

  it("a backup that fails part-way leaves nothing behind", async () => {
    // Not a database: SQLite fails once the copy has begun (the temporary file exists by then).
    writeFileSync(source, Buffer.alloc(8192, 7));
    const out = mkdtempSync(path.join(tmpdir(), "latchkey-backup-out-"));
    try {
      const err = await backupSqlite(source, path.join(out, "backup.db"), { force: false }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(Error);
      expect(err).not.toBeInstanceOf(BackupRefused);
      expect((err as Error).message).toBe("file is not a database");
      expect(readdirSync(out)).toEqual([]);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it.each([
    ["a missing database", "missing.db", "backup.db", (d: string) => `There is no SQLite database at ${path.join(d, "missing.db")} (check DATABASE_URL and DATA_DIR).`],
    ["a missing directory", "live.db", "no/such/dir/backup.db", (d: string) => `The directory ${path.join(d, "no/such/dir")} does not exist.`],
    ["a directory as the target", "live.db", ".", (d: string) => `${d} is a directory: name the backup file.`],
  ])("refuses %s, creating nothing", async (_what, from, to, message) => {
    makeDatabase(1);
    const listed = readdirSync(dir).sort();
    const refused = await backupSqlite(path.join(dir, from), path.join(dir, to), { force: true }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(BackupRefused);
    expect((refused as Error).message).toBe(message(dir));
    expect(readdirSync(dir).sort()).toEqual(listed);
  });
});
