// `db backup FILE [--force]` through runCli: the JSON it prints, its usage errors, and the
// refusal on PostgreSQL (which names pg_dump and writes nothing).
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../config";
import { storesFor } from "../db";
import { tempDatabase, type TempDatabase } from "@test/db";
import { keyCommands } from "./key-commands";
import { CliError, runCli, type CliDeps } from "./commands";
import { databaseCommands, PG_DUMP_HINT } from "./db-commands";

const env = (vars: Record<string, string>) => ({ NODE_ENV: "test", LATCHKEY_SECRET: "x".repeat(40), ...vars }) as NodeJS.ProcessEnv;

async function refused(p: Promise<object>): Promise<CliError> {
  const err = await p.then((r) => new Error(`accepted: ${JSON.stringify(r)}`), (e: unknown) => e);
  expect(err).toBeInstanceOf(CliError);
  return err as CliError;
}

describe.each(["sqlite", "postgres"] as const)("db backup on %s", (provider) => {
  let t: TempDatabase;
  let out: string;
  let deps: CliDeps;
  beforeAll(async () => {
    out = mkdtempSync(path.join(tmpdir(), "latchkey-cli-backup-"));
    t = await tempDatabase(provider);
    const cfg = loadConfig(env({ DATABASE_URL: t.url, DATA_DIR: out }));
    deps = { stores: storesFor(t.db, cfg), keys: keyCommands(t.db, cfg), database: databaseCommands(cfg) };
    await runCli(["user", "create", "--email", "kept@example.com", "--password", "a long enough password"], deps);
  });
  afterAll(async () => {
    await t?.drop();
    rmSync(out, { recursive: true, force: true });
  });
  const cli = (...argv: string[]) => runCli(argv, deps);

  if (provider === "sqlite") {
    it("prints {file, bytes, pages, seconds}; the copy holds the data; a second run needs --force", async () => {
      const file = path.join(out, "latchkey-backup.db");
      const r = (await cli("db", "backup", file)) as Record<string, unknown>;
      expect(r).toStrictEqual({ file, bytes: statSync(file).size, pages: expect.any(Number), seconds: expect.any(Number) });
      expect(Object.keys(r)).toEqual(["file", "bytes", "pages", "seconds"]);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const copy = new Database(file, { readonly: true });
      expect(copy.prepare(`SELECT email FROM "User"`).all()).toEqual([{ email: "kept@example.com" }]);
      copy.close();

      const again = await refused(cli("db", "backup", file));
      expect([again.exitCode, again.message]).toEqual([1, `${file} already exists: choose another name, or add --force to replace it.`]);
      expect(await cli("db", "backup", file, "--force")).toMatchObject({ file });
    });

    it("a relative FILE is resolved against the working directory", async () => {
      const r = (await cli("db", "backup", path.relative(process.cwd(), path.join(out, "relative.db")))) as { file: string };
      expect(r.file).toBe(path.join(out, "relative.db"));
    });
  } else {
    it("is refused with a message naming pg_dump, exit 1, writing nothing", async () => {
      const file = path.join(out, "pg-backup.db");
      const e = await refused(cli("db", "backup", file));
      expect([e.exitCode, e.message]).toEqual([1, PG_DUMP_HINT]);
      expect(e.message).toContain("pg_dump -Fc");
      expect(existsSync(file)).toBe(false);
    });
  }

  it.each([
    ["no FILE", [], "db backup needs exactly one FILE."],
    ["two FILEs", ["a.db", "b.db"], "db backup needs exactly one FILE."],
    ["an unknown flag", ["a.db", "--overwrite"], "Unknown option '--overwrite'"],
  ])("%s is a usage error (exit 2), writing nothing", async (_what, args, message) => {
    const before = readdirSync(out).sort();
    const e = await refused(cli("db", "backup", ...args));
    expect(e.exitCode).toBe(2);
    expect(e.message).toContain(message);
    expect(readdirSync(out).sort()).toEqual(before);
  });
});
