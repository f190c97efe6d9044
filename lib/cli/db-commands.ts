// `db backup` for the CLI: SQLite only. PostgreSQL has its own tools (README, "Backups").
import type { AppConfig } from "../config";
import { BackupRefused, backupSqlite } from "../db/backup";
import { CliError, type DatabaseCommands } from "./commands";

export const PG_DUMP_HINT =
  "db backup backs up the SQLite database; this DATABASE_URL is PostgreSQL. Use pg_dump instead, e.g. " +
  'pg_dump -Fc -f latchkey.dump "$DATABASE_URL" (restore with pg_restore), or WAL archiving for point-in-time recovery: see the README, "Backups".';

export function databaseCommands(cfg: Pick<AppConfig, "databaseUrl" | "dbProvider">): DatabaseCommands {
  return {
    async backup(file, force) {
      if (cfg.dbProvider !== "sqlite") throw new CliError(PG_DUMP_HINT);
      const source = cfg.databaseUrl.slice("file:".length).split("?")[0]!;
      try {
        return await backupSqlite(source, file, { force });
      } catch (err) {
        if (err instanceof BackupRefused) throw new CliError(err.message);
        // SQLite's and the file system's own words (a full disk, a permission): the operator's
        // terminal is where they help, and nothing secret is in them.
        throw new CliError(`The backup failed and left nothing behind: ${(err as Error).message}`);
      }
    },
  };
}
