// Runs the Prisma CLI offline: with the JS engine nothing native is executed, but some commands
// still look for a query-engine library first; any existing file satisfies that check
// (see ../shared/PLATFORM.md).
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import type { Db } from "../../lib/db/client";
import type { DbProvider } from "../../lib/config/database-url";
import { pendingMigrations } from "../../lib/db/migrations";
import { projectRoot } from "./project-root";

const require = createRequire(import.meta.url);
const root = projectRoot(import.meta.dirname);
const prismaBin = require.resolve("prisma/build/index.js");

export function prismaEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const placeholder = path.join(root, "package.json");
  return {
    ...env,
    PRISMA_QUERY_ENGINE_LIBRARY: env.PRISMA_QUERY_ENGINE_LIBRARY ?? placeholder,
    PRISMA_SCHEMA_ENGINE_BINARY: env.PRISMA_SCHEMA_ENGINE_BINARY ?? placeholder,
    PRISMA_HIDE_UPDATE_MESSAGE: "1",
  };
}

/** Runs `prisma <args>`; returns its stdout, throws with all its output on failure. */
export function prisma(args: string[], env: NodeJS.ProcessEnv = process.env): string {
  const r = spawnSync(process.execPath, [prismaBin, ...args], {
    cwd: root,
    env: prismaEnv(env),
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`prisma ${args.join(" ")} failed:\n${r.stdout ?? ""}${r.stderr ?? ""}`);
  return r.stdout ?? "";
}

/** Applies the checked-in migrations of the provider DATABASE_URL names. */
export function migrateDeploy(env: NodeJS.ProcessEnv = process.env): void {
  prisma(["migrate", "deploy"], env);
}

/** Brings the process's database up to date, running `migrate deploy` only when needed. */
export async function migrateIfNeeded(db: Db, provider: DbProvider): Promise<void> {
  if ((await pendingMigrations(db, provider, root)).length > 0) migrateDeploy();
}

/** `prisma <args>` with its output on this terminal; returns its exit code. */
export function runPrismaCli(args: string[]): number {
  const r = spawnSync(process.execPath, [prismaBin, ...args], { cwd: root, env: prismaEnv(), stdio: "inherit" });
  return r.status ?? 1;
}
