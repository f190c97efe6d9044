import { execFile } from "node:child_process";
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
