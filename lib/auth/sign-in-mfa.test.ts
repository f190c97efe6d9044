// Password sign-in when a second factor follows, with real stores on both providers: a right
// password opens no session for a user with TOTP or a passkey, nor for one the MFA policy
// requires to have a factor; openSession records the amr and the methods.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig, type AppConfig } from "../config";
import { storesFor, type Stores } from "../db";
import { PROVIDERS, tempDatabase, type TempDatabase } from "@test/db";
import { userStore } from "../db/users";
import { hashPassword } from "./password";
import { openSession, signInWithPassword } from "./sign-in";

const PASSWORD = "correct horse battery staple";
const env = (vars: Record<string, string>) => ({ NODE_ENV: "test", ...vars }) as NodeJS.ProcessEnv;

describe.each(PROVIDERS)("sign-in with a second factor on %s", (provider) => {
  let t: TempDatabase;
  let dir: string;
  let cfg: AppConfig;
  let s: Stores;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "latchkey-signin-mfa-"));
    cfg = loadConfig(env({ LATCHKEY_SECRET: "x".repeat(40), DATA_DIR: dir }));
    t = await tempDatabase(provider);
    s = storesFor(t.db, cfg);
  });
  afterAll(async () => {
    await t?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  let n = 0;
  const newUser = async (role: "user" | "admin" = "user") =>
    userStore(t.db).create({ email: `mfa-signin-${++n}@example.com`, passwordHash: await hashPassword(PASSWORD), role });
  const attempt = (email: string, password = PASSWORD) =>
    signInWithPassword(s, { email, password, ip: "198.51.100.4", userAgent: "vitest", deviceToken: null }, cfg.sessionMaxAgeSeconds);
  const sessionsOf = (userId: string) => t.db.portalSession.count({ where: { userId } });

  it("a user with TOTP on: the right password gives second_factor/verify and no session; a wrong one is still invalid", async () => {
    const u = await newUser();
    await s.mfa.enableTotp(u.id, { sealed: "v1.x", step: 1, recoveryCodeHashes: [] }, { actorId: u.id });
    expect(await attempt(u.email, "wrong password")).toStrictEqual({ ok: false, error: "invalid" });
    expect(await attempt(u.email)).toStrictEqual({ ok: false, error: "second_factor", userId: u.id, step: "verify" });
    expect(await sessionsOf(u.id)).toBe(0);
    expect(await t.db.auditEvent.count({ where: { type: "signin.succeeded", subjectId: u.id } })).toBe(0);
    // The password's own counter is cleared: the password was right.
    expect(await t.db.loginThrottle.findUnique({ where: { key: `email:${u.email}` } })).toBeNull();
  });

  it("a user with only a passkey is asked for a second factor too", async () => {
    const u = await newUser();
    await t.db.passkey.create({ data: { id: `cred-${provider}-${u.id}`, userId: u.id, name: "Key", publicKey: "pk", deviceType: "multiDevice" } });
    expect(await attempt(u.email)).toMatchObject({ ok: false, error: "second_factor", step: "verify" });
  });

  it("the MFA policy: admins must set one up under 'admins', everyone under 'all', nobody under 'off'", async () => {
    const admin = await newUser("admin");
    const user = await newUser("user");
    await s.settings.update({ mfaPolicy: "admins" }, admin.id);
    expect(await attempt(admin.email)).toStrictEqual({ ok: false, error: "second_factor", userId: admin.id, step: "enrol" });
    expect(await attempt(user.email)).toMatchObject({ ok: true, userId: user.id });
    await s.settings.update({ mfaPolicy: "all" }, admin.id);
    expect(await attempt(user.email)).toStrictEqual({ ok: false, error: "second_factor", userId: user.id, step: "enrol" });
    await s.settings.update({ mfaPolicy: "off" }, admin.id);
    expect(await attempt(admin.email)).toMatchObject({ ok: true });
    expect(await sessionsOf(admin.id)).toBe(1);
  });

  it("a password-only sign-in's session has amr pwd; openSession records the amr given and the methods in the audit", async () => {
    const u = await newUser();
    const r = await attempt(u.email);
    if (!r.ok) throw new Error("expected a session");
    expect((await t.db.portalSession.findUniqueOrThrow({ where: { id: r.sessionId } })).amr).toBe("pwd");
    const opened = await openSession(s, { userId: u.id, amr: ["pwd", "otp", "mfa"], ip: null, userAgent: null, deviceToken: r.deviceToken }, 60);
    expect(opened.deviceToken).toBe(r.deviceToken); // the browser's trusted device, renewed
    expect((await t.db.portalSession.findUniqueOrThrow({ where: { id: opened.sessionId } })).amr).toBe("pwd otp mfa");
    const events = await t.db.auditEvent.findMany({ where: { type: "signin.succeeded", subjectId: u.id }, orderBy: { id: "asc" } });
    expect(events.map((e) => JSON.parse(e.data!))).toEqual([
      { device: "new", methods: "pwd" },
      { device: "known", methods: "pwd otp mfa" },
    ]);
    // Another user's device token is not renewed for this one: a new device is trusted instead.
    const other = await newUser();
    const o = await openSession(s, { userId: other.id, amr: ["pwd"], ip: null, userAgent: null, deviceToken: r.deviceToken }, 60);
    expect(o.deviceToken).not.toBe(r.deviceToken);
  });
});
