// An online backup of the SQLite database with SQLite's backup API (better-sqlite3's
// `backup()`, https://www.sqlite.org/backup.html), not a file copy: a copy of the file while the
// server writes can catch a page half-written or miss what is still only in the -wal file.
// No Prisma here: it reads the database as it is (no migration, no client that would create a
// missing file).
import { closeSync, existsSync, fsyncSync, linkSync, openSync, realpathSync, renameSync, rmSync, statSync } from "node:fs";
import { randomBytes } from "node:crypto";
import path from "node:path";
import Database from "better-sqlite3";

/** A backup refused before anything was written: the message says why. */
export class BackupRefused extends Error {}

export interface BackupResult {
  file: string;
  bytes: number;
  pages: number;
  seconds: number;
}

/** As many pages as SQLite can count: the whole database in one step (see below). */
const ALL_PAGES = 0x7fffffff;

/**
 * Copies the SQLite database `source` to `target`, consistently, while other connections (the
 * server, in other processes) keep reading and writing it.
 *
 * - The copy is made in one backup step, that is in one read transaction: it is the database as
 *   of the moment that step began, every transaction committed before it included. WAL readers
 *   never block writers, so the server goes on committing meanwhile. (Copied in small steps, a
 *   backup restarts whenever another connection writes between two steps, and under steady load
 *   it would never finish.)
 * - It writes to a temporary name beside `target`, created 0600 before SQLite opens it (the
 *   database holds password hashes and encrypted keys: lib/db/sqlite-file.ts), and moves it to
 *   `target` only once complete; a failed backup removes it and leaves nothing behind.
 * - An existing `target` is refused unless `force`; without `force` the final move cannot
 *   overwrite a file that appeared meanwhile either (a hard link fails when the name exists).
 */
export async function backupSqlite(source: string, target: string, opts: { force: boolean }): Promise<BackupResult> {
  const file = path.resolve(target);
  if (!existsSync(source)) throw new BackupRefused(`There is no SQLite database at ${source} (check DATABASE_URL and DATA_DIR).`);
  const dir = path.dirname(file);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new BackupRefused(`The directory ${dir} does not exist.`);
  // By name, whether or not they exist now: a copy named latchkey.db-wal would be taken for the WAL.
  const live = realpathSync(source);
  const named = existsSync(file) ? realpathSync(file) : path.join(realpathSync(dir), path.basename(file));
  if ([live, `${live}-wal`, `${live}-shm`, `${live}-journal`].includes(named)) {
    throw new BackupRefused(`${file} is the live database (or one of its files): back up to another file.`);
  }
  if (existsSync(file)) {
    if (statSync(file).isDirectory()) throw new BackupRefused(`${file} is a directory: name the backup file.`);
    if (!opts.force) throw new BackupRefused(`${file} already exists: choose another name, or add --force to replace it.`);
  }

  const started = process.hrtime.bigint();
  const tmp = path.join(dir, `.${path.basename(file)}.${randomBytes(6).toString("hex")}.tmp`);
  // "wx", 0600: a new file readable by this user only, whatever the umask; SQLite keeps the mode.
  closeSync(openSync(tmp, "wx", 0o600));
  let db: Database.Database | undefined;
  try {
    db = new Database(source, { readonly: true, fileMustExist: true, timeout: 5000 });
    const progress = await db.backup(tmp, { progress: () => ALL_PAGES });
    db.close();
    db = undefined;
    // SQLite synced the copy when the backup finished; the rename is made durable below.
    if (opts.force) renameSync(tmp, file);
    else {
      try {
        linkSync(tmp, file);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "EEXIST") {
          throw new BackupRefused(`${file} appeared while the backup ran: choose another name, or add --force to replace it.`);
        }
        throw err;
      }
      rmSync(tmp);
    }
    syncDirectory(dir);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    return { file, bytes: statSync(file).size, pages: progress.totalPages, seconds: Math.round(seconds * 1000) / 1000 };
  } finally {
    db?.close();
    // Gone after a success (renamed or unlinked); after a failure, the half-written copy and its journal.
    for (const f of [tmp, `${tmp}-journal`, `${tmp}-wal`, `${tmp}-shm`]) rmSync(f, { force: true });
  }
}

/** fsync a directory, so that a rename in it survives a crash. */
function syncDirectory(dir: string): void {
  const fd = openSync(dir, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
