// Where the database is, from DATABASE_URL. Shared by the app, the CLI and prisma.config.ts,
// so it imports nothing.
import path from "node:path";

export type DbProvider = "sqlite" | "postgres";

export function dataDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(/*turbopackIgnore: true*/ env.DATA_DIR || "data");
}

/** DATABASE_URL, or the embedded SQLite file under DATA_DIR; SQLite paths made absolute. */
export function databaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  const url = env.DATABASE_URL?.trim();
  if (!url) return `file:${path.join(dataDir(env), "latchkey.db")}`;
  if (url.startsWith("file:")) return `file:${path.resolve(/*turbopackIgnore: true*/ url.slice("file:".length))}`;
  return url;
}

/**
 * SQLite's synchronous setting on every connection (WAL mode). FULL (the default): every commit
 * is fsynced before it is acknowledged. NORMAL: a commit survives a crash of the application;
 * a power loss or OS crash may undo the last commits, never corrupt the file. NORMAL commits
 * faster in isolation but measured no faster under `npm run bench`, so we keep FULL (figures in
 * docs/architecture.md, "The SQLite writer").
 */
export function sqliteSynchronous(env: NodeJS.ProcessEnv = process.env): "FULL" | "NORMAL" {
  return env.SQLITE_SYNCHRONOUS?.trim().toUpperCase() === "NORMAL" ? "NORMAL" : "FULL";
}

export function databaseProvider(url: string): DbProvider {
  if (url.startsWith("file:")) return "sqlite";
  if (url.startsWith("postgresql://") || url.startsWith("postgres://")) return "postgres";
  throw new Error(
    `DATABASE_URL must start with file: (SQLite) or postgresql:// (PostgreSQL); got "${url.split(":")[0]}:..."`,
  );
}
