// `npm run --silent cli -- <command>`: one JSON object on stdout and exit 0, or a message on
// stderr and a non-zero exit. See lib/cli/commands.ts.
import { ConfigError, loadConfig } from "../lib/config";
import { prepareDb } from "../lib/db/client";
import { data, db } from "../lib/runtime";
import { keyCommands } from "../lib/cli/key-commands";
import { databaseCommands } from "../lib/cli/db-commands";
import { CliError, runCli } from "../lib/cli/commands";
import { migrateIfNeeded } from "./lib/prisma";
import { logToStderr } from "../lib/log/logger";

// stdout carries the one JSON result: anything the server's code logs goes to stderr.
logToStderr();

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  // `db …` (backup) reads the database as it is: no migration, and no Prisma client, which
  // would create a missing SQLite file (a wrong DATA_DIR would then back up an empty database).
  const usesPrisma = argv[0] !== "db";
  try {
    const cfg = loadConfig();
    process.env.DATABASE_URL = cfg.databaseUrl;
    if (usesPrisma) {
      // The CLI may be the first thing run on a fresh clone: bring the database up to date.
      await migrateIfNeeded(db(), cfg.dbProvider);
      await prepareDb(db(), cfg.databaseUrl);
    }
    const result = await runCli(argv, {
      get stores() {
        return data();
      },
      get keys() {
        return keyCommands(db(), cfg);
      },
      database: databaseCommands(cfg),
    });
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return 0;
  } catch (err) {
    if (err instanceof CliError || err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      return err instanceof CliError ? err.exitCode : 1;
    }
    process.stderr.write(`Unexpected error: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  } finally {
    if (usesPrisma) await db().$disconnect().catch(() => undefined);
  }
}

main().then((code) => process.exit(code));
