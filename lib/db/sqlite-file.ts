// File permissions of the SQLite database. No Prisma here: lib/db/protocol/sql.ts opens the file too.
import { chmodSync, closeSync, mkdirSync, openSync } from "node:fs";
import path from "node:path";

/**
 * The SQLite file (and its -wal, -shm and -journal, which SQLite creates with the database
 * file's own permission bits) readable by this user only: it holds password hashes, sessions
 * and encrypted keys. Creates the file 0600 before SQLite (or `prisma migrate deploy`) can
 * create it with the umask's mode, and tightens files an older version left 0644.
 */
export function restrictSqliteFile(url: string): void {
  const file = url.slice("file:".length).split("?")[0]!;
  if (!file || file === ":memory:") return;
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  // "wx": create only if absent. Never open an existing file: closing any descriptor of a file
  // drops every POSIX lock this process holds on it, including SQLite's (a connection already
  // open here then fails with "disk I/O error"). chmod needs no descriptor.
  try {
    closeSync(openSync(file, "wx", 0o600));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  }
  for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) {
    try {
      chmodSync(f, 0o600);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    }
  }
}

