// The real CLI entry point (`npm run --silent cli -- …`), as a user runs it, on SQLite: the
// contract in ../shared/DESIGN.md is one JSON object on stdout and exit 0, or a message on stderr
// and a non-zero exit with nothing on stdout.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "..");

describe("npm run --silent cli (SQLite)", () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), "latchkey-cli-spawn-"));
    env = { ...process.env, DATA_DIR: dir, NODE_ENV: "development" };
    delete env.DATABASE_URL;
    delete env.ISSUER;
    delete env.LATCHKEY_SECRET;
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const run = (...args: string[]) =>
    spawnSync("npm", ["run", "--silent", "cli", "--", ...args], { cwd: root, env, encoding: "utf8", timeout: 60_000 });

  it("user create: exit 0 and stdout is exactly one JSON object; a duplicate: non-zero, empty stdout, message on stderr", async () => {
    const ok = run("user", "create", "--email", "Spawn@Example.com", "--password", "a long enough password");
    expect(ok.status, ok.stderr).toBe(0);
    const parsed = JSON.parse(ok.stdout) as Record<string, unknown>;
    // Nothing else on stdout: the output is that one object, printed once.
    expect(ok.stdout).toBe(`${JSON.stringify(parsed, null, 2)}\n`);
    expect(parsed).toStrictEqual({
      id: expect.any(String),
      email: "spawn@example.com",
      name: null,
      role: "user",
      created_at: expect.any(String),
    });

    const dup = run("user", "create", "--email", "spawn@example.com", "--password", "a long enough password");
    expect(dup.status).not.toBe(0);
    expect(dup.status).not.toBeNull(); // exited, not killed by the timeout
    expect(dup.stdout).toBe("");
    expect(dup.stderr).toContain("A user with email spawn@example.com already exists.");
  }, 90_000);

  it("api create: one JSON object with the contract's fields; a duplicate identifier: non-zero, empty stdout, message on stderr", async () => {
    const args = ["api", "create", "--name", "Items API", "--identifier", "https://api.example.com", "--scope", "read:items=Read your items"];
    const ok = run(...args);
    expect(ok.status, ok.stderr).toBe(0);
    const parsed = JSON.parse(ok.stdout) as Record<string, unknown>;
    expect(ok.stdout).toBe(`${JSON.stringify(parsed, null, 2)}\n`);
    expect(parsed).toStrictEqual({
      id: expect.any(String),
      name: "Items API",
      identifier: "https://api.example.com",
      scopes: ["read:items"],
      scope_descriptions: { "read:items": "Read your items" },
      client_id: expect.stringMatching(/^lk_/),
      client_secret: expect.stringMatching(/^lks_/),
    });
    const dup = run(...args);
    expect(dup.status).not.toBe(0);
    expect(dup.status).not.toBeNull();
    expect(dup.stdout).toBe("");
    expect(dup.stderr).toContain("An API with the identifier https://api.example.com already exists.");
  }, 90_000);

  it("db backup: one JSON object naming the copy (0600); on a DATA_DIR with no database: non-zero, and no database created", async () => {
    // The database exists: the tests above created it.
    const file = path.join(dir, "backup.db");
    const ok = run("db", "backup", file);
    expect(ok.status, ok.stderr).toBe(0);
    const parsed = JSON.parse(ok.stdout) as Record<string, unknown>;
    expect(ok.stdout).toBe(`${JSON.stringify(parsed, null, 2)}\n`);
    expect(parsed).toStrictEqual({ file, bytes: statSync(file).size, pages: expect.any(Number), seconds: expect.any(Number) });
    expect(statSync(file).mode & 0o777).toBe(0o600);

    const empty = mkdtempSync(path.join(tmpdir(), "latchkey-cli-spawn-empty-"));
    try {
      const none = spawnSync("npm", ["run", "--silent", "cli", "--", "db", "backup", path.join(empty, "b.db")], {
        cwd: root, env: { ...env, DATA_DIR: empty }, encoding: "utf8", timeout: 60_000,
      });
      expect(none.status).toBe(1);
      expect(none.stdout).toBe("");
      expect(none.stderr).toBe(`There is no SQLite database at ${path.join(empty, "latchkey.db")} (check DATABASE_URL and DATA_DIR).\n`);
      expect(existsSync(path.join(empty, "latchkey.db"))).toBe(false);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  }, 90_000);
});
