// First-run admin on SQLite: generated when nothing is configured, the configured one otherwise,
// and never a second admin on a later start.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../config";
import { storesFor, type Stores } from "../db";
import { tempDatabase, type TempDatabase } from "@test/db";
import { ensureAdmin, GENERATED_ADMIN_EMAIL } from "./bootstrap";
import { verifyPassword } from "./password";

/** An environment for loadConfig (NODE_ENV "test" unless given). */
const env = (vars: Record<string, string>) => ({ NODE_ENV: "test", ...vars }) as NodeJS.ProcessEnv;

describe("ensureAdmin on sqlite", () => {
  let t: TempDatabase;
  let dir: string;
  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "latchkey-bootstrap-"));
    t = await tempDatabase("sqlite");
  });
  afterEach(async () => {
    await t?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const config = (vars: Record<string, string> = {}) => loadConfig(env({ LATCHKEY_SECRET: "x".repeat(40), DATA_DIR: dir, ...vars }));
  const stores = (): Stores => storesFor(t.db, config());
  const admins = () => t.db.user.findMany({ where: { role: "admin" } });

  it("with no ADMIN_EMAIL, creates admin@latchkey.local who must change the generated password; the password goes only to a 0600 file", async () => {
    const r = await ensureAdmin(stores(), config());
    const file = path.join(dir, "initial-admin-password");
    expect(r).toStrictEqual({ created: true, email: "admin@latchkey.local", passwordFile: file });
    expect(GENERATED_ADMIN_EMAIL).toBe("admin@latchkey.local");
    // Nothing secret in what the caller (which logs it) gets.
    expect(Object.keys(r).sort()).toEqual(["created", "email", "passwordFile"]);

    expect(statSync(file).mode & 0o777).toBe(0o600);
    const [email, generated, ...rest] = readFileSync(file, "utf8").split("\n");
    expect([email, rest]).toEqual(["admin@latchkey.local", [""]]);
    expect(generated!.length).toBeGreaterThanOrEqual(20);

    const [admin, ...others] = await admins();
    expect(others).toEqual([]);
    expect(admin?.email).toBe("admin@latchkey.local");
    expect(admin?.role).toBe("admin");
    expect(admin?.mustResetPassword).toBe(true);
    expect(admin?.passwordHash.startsWith("$argon2id$")).toBe(true);
    expect(admin?.passwordHash).not.toContain(generated);
    expect(await verifyPassword(admin!.passwordHash, generated!)).toBe(true);
    expect(await verifyPassword(admin!.passwordHash, `${generated}x`)).toBe(false);
  });

  it("the file stays while the generated password must still be changed, and goes on the first start after", async () => {
    await ensureAdmin(stores(), config());
    const file = path.join(dir, "initial-admin-password");
    expect(await ensureAdmin(stores(), config())).toStrictEqual({ created: false });
    expect(existsSync(file)).toBe(true);
    await t.db.user.update({ where: { email: GENERATED_ADMIN_EMAIL }, data: { mustResetPassword: false } });
    expect(await ensureAdmin(stores(), config())).toStrictEqual({ created: false });
    expect(existsSync(file)).toBe(false);
  });

  it("a second call creates nothing", async () => {
    await ensureAdmin(stores(), config());
    const usersBefore = await t.db.user.count();
    expect(await ensureAdmin(stores(), config())).toStrictEqual({ created: false });
    expect(await t.db.user.count()).toBe(usersBefore);
    expect(await admins()).toHaveLength(1);
  });

  it("an existing admin (any email) means no generated one", async () => {
    await t.db.user.create({ data: { email: "boss@example.com", passwordHash: "h", role: "admin" } });
    expect(await ensureAdmin(stores(), config())).toStrictEqual({ created: false });
    expect((await admins()).map((u) => u.email)).toEqual(["boss@example.com"]);
  });

  it("with ADMIN_EMAIL/ADMIN_PASSWORD, creates that admin (no generated password) and not a second one later", async () => {
    const cfg = config({ ADMIN_EMAIL: "Root@Example.com", ADMIN_PASSWORD: "configured password 1" });
    expect(await ensureAdmin(stores(), cfg)).toStrictEqual({ created: true, email: "root@example.com" });
    const [admin, ...others] = await admins();
    expect(others).toEqual([]);
    expect(admin?.email).toBe("root@example.com");
    expect(admin?.mustResetPassword).toBe(false);
    expect(existsSync(path.join(dir, "initial-admin-password"))).toBe(false);
    expect(await verifyPassword(admin!.passwordHash, "configured password 1")).toBe(true);

    // Started again with the same settings, and with none: still exactly one admin.
    expect(await ensureAdmin(stores(), cfg)).toStrictEqual({ created: false });
    expect(await ensureAdmin(stores(), config())).toStrictEqual({ created: false });
    expect(await admins()).toHaveLength(1);
  });
});
