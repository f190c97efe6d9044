import { execFile } from "node:child_process";
import { CliError as CommandError, runCli, type CliDeps } from "../../lib/cli/commands";
import { databaseUrl } from "../../lib/config/database-url";
import { createDb, prepareDb } from "../../lib/db/client";
import { apiStore } from "../../lib/db/apis";
import { clientStore } from "../../lib/db/clients";
import { userStore } from "../../lib/db/users";
import { REPO_ROOT, serverEnv } from "../env";

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number | string | null,
    readonly stdout: string,
    readonly stderr: string,
  ) {
    super(message);
    this.name = "CliError";
  }
}

/**
 * Runs `npm run --silent cli -- ...args` with the server's environment (same DATA_DIR,
 * DATABASE_URL and secret), so it works on the database the portal under test is serving.
 *
 * Resolves to stdout parsed as JSON (the CLI prints one JSON object), to null when stdout is
 * empty, or to the trimmed text when it is not JSON (the contract only promises JSON for
 * `user create`). Rejects with a CliError carrying stderr when the command exits non-zero.
 */
export function cli(args: string[]): Promise<unknown> {
  return new Promise((resolve, reject) => {
    execFile(
      "npm",
      ["run", "--silent", "cli", "--", ...args],
      {
        cwd: REPO_ROOT,
        env: { ...process.env, ...serverEnv() },
        timeout: 60_000,
        maxBuffer: 10 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        if (error) {
          const code = error.code ?? error.signal ?? null;
          reject(
            new CliError(
              `cli ${args.join(" ")} failed (${code}):\n${stderr.trim() || stdout.trim() || error.message}`,
              code,
              stdout,
              stderr,
            ),
          );
          return;
        }
        const text = stdout.trim();
        if (!text) {
          resolve(null);
          return;
        }
        try {
          resolve(JSON.parse(text));
        } catch {
          resolve(text);
        }
      },
    );
  });
}

// ---------------------------------------------------------------------------------------------
// The same commands in this worker, for set-up (users and clients a test needs).
// ---------------------------------------------------------------------------------------------

let inProcess: Promise<CliDeps> | undefined;

/** The CLI's own stores on the server's database, opened once per worker. */
function inProcessDeps(): Promise<CliDeps> {
  inProcess ??= (async () => {
    const url = databaseUrl({ ...process.env, ...serverEnv() });
    const db = createDb(url);
    await prepareDb(db, url);
    const keys = () => Promise.reject(new Error("keys commands: use cli(), which has the server's secret"));
    const backup = () => Promise.reject(new Error("db backup: use cli()"));
    return {
      stores: { users: userStore(db), clients: clientStore(db), apis: apiStore(db) },
      keys: { rotate: keys, list: keys },
      database: { backup },
    };
  })();
  return inProcess;
}

/**
 * Runs a `user` or `client` command as `cli()` does, but in this worker: runCli (the function
 * scripts/cli.ts prints the result of) on the server's database. It resolves to the object the
 * CLI would print, or rejects with a CliError carrying the message the CLI would write to stderr.
 * Spawning `npm run cli` costs about 2 s of a core (npm, tsx, the Prisma client, the migration
 * check) and the suite creates a hundred users and clients; the spawned CLI itself is covered by
 * scripts/cli.test.ts and by the specs that call cli() on purpose.
 */
export async function cliInProcess(args: string[]): Promise<unknown> {
  try {
    // The same round trip as the printed output: what a spawned CLI's caller would parse.
    return JSON.parse(JSON.stringify(await runCli(args, await inProcessDeps()))) as unknown;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const code = err instanceof CommandError ? err.exitCode : 1;
    throw new CliError(`cli ${args.join(" ")} failed (${code}):\n${message}`, code, "", message);
  }
}
