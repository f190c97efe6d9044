// Which checked-in migrations a database has not applied yet. Lets the CLI and start-up skip
// `prisma migrate deploy` (a subprocess, and one that fails with SQLITE_BUSY while a server
// holds the WAL database open) when there is nothing to do.
import { readdirSync } from "node:fs";
import path from "node:path";
import type { Db } from "./client";
import type { DbProvider } from "../config/database-url";

export function migrationNames(provider: DbProvider, root = process.cwd()): string[] {
  const dir = path.join(root, "prisma", provider, "migrations");
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

export async function pendingMigrations(db: Db, provider: DbProvider, root?: string): Promise<string[]> {
  const all = migrationNames(provider, root);
  let applied: { migration_name: string }[];
  try {
    applied = await db.$queryRawUnsafe<{ migration_name: string }[]>(
      "SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL",
    );
  } catch {
    return all; // no migrations table yet: a new database
  }
  const done = new Set(applied.map((r) => r.migration_name));
  return all.filter((m) => !done.has(m));
}
