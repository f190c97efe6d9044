// Password sign-in with real stores on both providers: exact results, sessions, counters, audit.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig, type AppConfig } from "../config";
import { storesFor, type Stores } from "../db";
import { PROVIDERS, tempDatabase, type TempDatabase } from "@test/db";
import { userStore } from "../db/users";
import { hashPassword } from "./password";
import { signInWithPassword, type SignInInput } from "./sign-in";

const PASSWORD = "correct horse battery staple";

/** An environment for loadConfig (NODE_ENV "test" unless given). */
const env = (vars: Record<string, string>) => ({ NODE_ENV: "test", ...vars }) as NodeJS.ProcessEnv;

describe.each(PROVIDERS)("signInWithPassword on %s", (provider) => {
  let t: TempDatabase;
  let dir: string;
  let cfg: AppConfig;
  let s: Stores;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "latchkey-signin-"));
    cfg = loadConfig(env({ LATCHKEY_SECRET: "x".repeat(40), LOGIN_SLOW_AFTER: "3", LOGIN_LOCK_AFTER: "5", DATA_DIR: dir }));
    t = await tempDatabase(provider);
    s = storesFor(t.db, cfg);
  });
  afterAll(async () => {
    await t?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function newUser(email: string) {
    return userStore(t.db).create({ email, passwordHash: await hashPassword(PASSWORD) });
  }
  const attempt = (email: string, password: string, ip: string | null = null, deviceToken: string | null = null) => {
    const input: SignInInput = { email, password, ip, userAgent: "vitest", deviceToken };
    return signInWithPassword(s, input, cfg.sessionMaxAgeSeconds);
  };
  const counter = (email: string) => t.db.loginThrottle.findUnique({ where: { key: `email:${email}` } });
  /** Moves the account's last failure a minute into the past, so that its backoff has passed. */
  const letBackoffPass = (email: string) =>
    t.db.loginThrottle.update({
      where: { key: `email:${email}` },
      data: { lastFailureAt: new Date(Date.now() - 60_000) },
    });

  it("success creates an active PortalSession and clears the account's failure counter", async () => {
    const u = await newUser("ok@example.com");
    expect(await attempt("ok@example.com", "wrong password 1")).toStrictEqual({ ok: false, error: "invalid" });
    expect((await counter("ok@example.com"))?.failures).toBe(1);

    const r = await attempt(" OK@Example.com ", PASSWORD, "203.0.113.5");
    expect(r).toStrictEqual({
      ok: true,
      userId: u.id,
      email: "ok@example.com",
      name: null,
      sessionId: expect.any(String),
      deviceToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
    });
    if (!r.ok) throw new Error("unreachable");
    const active = await s.sessions.findWithUser(r.sessionId);
    if (!active) throw new Error("the new session is not active");
    expect(active.userId).toBe(u.id);
    expect(active.ip).toBe("203.0.113.5");
    expect(active.expiresAt.getTime() - active.authTime.getTime()).toBe(cfg.sessionMaxAgeSeconds * 1000);
    expect(await counter("ok@example.com")).toBeNull();
    const types = (await t.db.auditEvent.findMany({ where: { subjectId: u.id }, orderBy: { createdAt: "asc" } })).map(
      (e) => e.type,
    );
    expect(types).toContain("signin.succeeded");
  });

  it("a wrong password and an unknown email give the same result and a signin.failed event without the password", async () => {
    const u = await newUser("known@example.com");
    const wrong = "Hunter2-wrong-password";
    expect(await attempt("known@example.com", wrong, "203.0.113.6")).toStrictEqual({ ok: false, error: "invalid" });
    const unknownPw = "Unknown-user-password-9";
    expect(await attempt("nobody@example.com", unknownPw, "203.0.113.6")).toStrictEqual({ ok: false, error: "invalid" });

    const failed = await t.db.auditEvent.findMany({ where: { type: "signin.failed", ip: "203.0.113.6" } });
    expect(failed).toHaveLength(2);
    const byEmail = Object.fromEntries(failed.map((e) => [JSON.parse(e.data ?? "{}").email, e]));
    expect(byEmail["known@example.com"]?.subjectId).toBe(u.id);
    expect(byEmail["nobody@example.com"]?.subjectId).toBeNull();
    for (const e of failed) {
      expect(JSON.parse(e.data ?? "null")).toStrictEqual({ email: expect.any(String), device: "new" });
      expect(JSON.stringify(e)).not.toContain(wrong);
      expect(JSON.stringify(e)).not.toContain(unknownPw);
    }
    // The unknown email is throttled like a real one (no enumeration by counter behaviour).
    expect((await counter("nobody@example.com"))?.failures).toBe(1);
    expect(await t.db.portalSession.count({ where: { userId: u.id } })).toBe(0);
  });

  it("after slowAfter (3) failures an immediate attempt returns wait, even with the right password", async () => {
    const u = await newUser("slow@example.com");
    for (let i = 0; i < 3; i++) {
      expect(await attempt("slow@example.com", `wrong-${i}-password`)).toStrictEqual({ ok: false, error: "invalid" });
    }
    expect(await attempt("slow@example.com", PASSWORD)).toStrictEqual({ ok: false, error: "wait", retryAfterSeconds: 1 });
    expect(await t.db.portalSession.count({ where: { userId: u.id } })).toBe(0);
    // A refused attempt is not a failure: the counter stays at 3.
    expect((await counter("slow@example.com"))?.failures).toBe(3);
    // Once the delay has passed the right password works.
    await letBackoffPass("slow@example.com");
    expect((await attempt("slow@example.com", PASSWORD)).ok).toBe(true);
  });

  it("at lockAfter (5) failures the result is locked, and while locked even the right password is refused", async () => {
    const u = await newUser("lock@example.com");
    for (let i = 0; i < 4; i++) {
      expect(await attempt("lock@example.com", `wrong-${i}-password`)).toStrictEqual({ ok: false, error: "invalid" });
      await letBackoffPass("lock@example.com");
    }
    // Default LOGIN_LOCK_SECONDS: 900.
    expect(await attempt("lock@example.com", "wrong-4-password")).toStrictEqual({
      ok: false,
      error: "locked",
      retryAfterSeconds: 900,
    });
    const c = await counter("lock@example.com");
    expect(c?.failures).toBe(5);
    expect(c?.lockedUntil).not.toBeNull();

    const r = await attempt("lock@example.com", PASSWORD);
    expect(r).toStrictEqual({ ok: false, error: "locked", retryAfterSeconds: expect.any(Number) });
    if (r.ok || r.error !== "locked") throw new Error("unreachable");
    expect(r.retryAfterSeconds).toBeGreaterThanOrEqual(899);
    expect(r.retryAfterSeconds).toBeLessThanOrEqual(900);
    expect(await t.db.portalSession.count({ where: { userId: u.id } })).toBe(0);
    const types = (await t.db.auditEvent.findMany({ where: { subjectId: u.id } })).map((e) => e.type);
    expect(types.filter((x) => x === "signin.locked")).toHaveLength(1);
    expect(types).not.toContain("signin.succeeded");
  });

  it("a disabled account gets the same answer with the right and with a wrong password, and no session", async () => {
    const u = await newUser("off@example.com");
    await s.users.setDisabled(u.id, true);
    expect(await attempt("off@example.com", PASSWORD)).toStrictEqual({ ok: false, error: "invalid" });
    expect(await attempt("off@example.com", "not-the-password")).toStrictEqual({ ok: false, error: "invalid" });
    expect(await t.db.portalSession.count({ where: { userId: u.id } })).toBe(0);
    // The admins can still tell the two apart in the audit log.
    const types = (await t.db.auditEvent.findMany({ where: { subjectId: u.id }, orderBy: { createdAt: "asc" } })).map((e) => e.type);
    expect(types.filter((x) => x.startsWith("signin."))).toEqual(["signin.refused_disabled", "signin.failed"]);
  });

  it("requireEmailVerification: an unverified address is refused only after the right password; verified ones and the setting off sign in", async () => {
    const u = await newUser(`unverified-${provider}@example.com`);
    const v = await userStore(t.db).create({ email: `verified-${provider}@example.com`, passwordHash: await hashPassword(PASSWORD), emailVerified: true });
    await s.settings.update({ requireEmailVerification: true }, "admin-test");
    try {
      expect(await attempt(u.email, "wrong password")).toStrictEqual({ ok: false, error: "invalid" });
      expect(await attempt(u.email, PASSWORD)).toStrictEqual({ ok: false, error: "unverified", userId: u.id });
      expect(await t.db.portalSession.count({ where: { userId: u.id } })).toBe(0);
      expect(await t.db.auditEvent.count({ where: { type: "signin.unverified", subjectId: u.id } })).toBe(1);
      expect((await attempt(v.email, PASSWORD)).ok).toBe(true);
    } finally {
      await s.settings.update({ requireEmailVerification: false }, "admin-test");
    }
    expect((await attempt(u.email, PASSWORD)).ok).toBe(true);
  });

  it("40 parallel wrong guesses: at most lockAfter (5) passwords are verified, then even the right one is refused", async () => {
    const u = await newUser("race@example.com");
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => attempt("race@example.com", `wrong-guess-${i}`, `198.51.100.${i}`)),
    );
    // Every verified wrong password leaves one signin.failed event; refused attempts leave none.
    const verified = await t.db.auditEvent.count({ where: { type: "signin.failed", subjectId: u.id } });
    expect(verified).toBeGreaterThanOrEqual(1);
    expect(verified).toBeLessThanOrEqual(5);
    expect(results.filter((r) => !r.ok && r.error === "invalid").length).toBeLessThanOrEqual(5);
    expect(results.every((r) => !r.ok)).toBe(true);
    const r = await attempt("race@example.com", PASSWORD, "198.51.100.200");
    expect(r).toStrictEqual({ ok: false, error: "locked", retryAfterSeconds: expect.any(Number) });
    expect(await t.db.portalSession.count({ where: { userId: u.id } })).toBe(0);
  });

  describe("device cookies", () => {
    async function lockFromElsewhere(email: string) {
      for (let i = 0; i < 5; i++) {
        await attempt(email, `attacker-guess-${i}`, "192.0.2.66");
        await letBackoffPass(email);
      }
      expect((await counter(email))?.lockedUntil).not.toBeNull();
    }
    async function tokenOf(email: string): Promise<string> {
      const r = await attempt(email, PASSWORD, "203.0.113.1");
      if (!r.ok) throw new Error(`sign-in failed: ${JSON.stringify(r)}`);
      return r.deviceToken;
    }

    it("a lock earned from elsewhere does not lock out the owner's browser that signed in before; it does lock a new one", async () => {
      const u = await newUser("owner@example.com");
      const token = await tokenOf("owner@example.com");
      expect(await t.db.trustedDevice.count({ where: { userId: u.id } })).toBe(1);
      await lockFromElsewhere("owner@example.com");
      // A new browser (no cookie) is refused even with the right password…
      expect(await attempt("owner@example.com", PASSWORD, "203.0.113.1")).toStrictEqual({
        ok: false,
        error: "locked",
        retryAfterSeconds: expect.any(Number),
      });
      // …the owner's own browser is not, and keeps its token.
      const r = await attempt("owner@example.com", PASSWORD, "203.0.113.1", token);
      expect(r).toMatchObject({ ok: true, userId: u.id, deviceToken: token });
      // The strangers' lock stays in force.
      expect((await counter("owner@example.com"))?.lockedUntil).not.toBeNull();
    });

    it("failures with the device cookie count on the device's own counter, not the account's", async () => {
      const u = await newUser("typo@example.com");
      const token = await tokenOf("typo@example.com");
      const device = await t.db.trustedDevice.findFirstOrThrow({ where: { userId: u.id } });
      const deviceKey = `device:${device.id}`;
      for (let i = 0; i < 4; i++) {
        expect(await attempt("typo@example.com", `typo-${i}-password`, null, token)).toStrictEqual({ ok: false, error: "invalid" });
        await t.db.loginThrottle.update({ where: { key: deviceKey }, data: { lastFailureAt: new Date(Date.now() - 60_000) } });
      }
      expect(await attempt("typo@example.com", "typo-4-password", null, token)).toStrictEqual({
        ok: false,
        error: "locked",
        retryAfterSeconds: 900,
      });
      expect((await t.db.loginThrottle.findUnique({ where: { key: deviceKey } }))?.failures).toBe(5);
      expect(await counter("typo@example.com")).toBeNull();
      // The locked device is refused even with the right password; a browser without it is not.
      expect(await attempt("typo@example.com", PASSWORD, null, token)).toMatchObject({ ok: false, error: "locked" });
      expect((await attempt("typo@example.com", PASSWORD, null, null)).ok).toBe(true);
    });

    it("a device cookie of another account, an unknown one and a revoked one count as no cookie", async () => {
      await newUser("victim2@example.com");
      const other = await newUser("other2@example.com");
      const otherToken = await tokenOf("other2@example.com");
      await lockFromElsewhere("victim2@example.com");
      const locked = { ok: false, error: "locked", retryAfterSeconds: expect.any(Number) };
      expect(await attempt("victim2@example.com", PASSWORD, null, otherToken)).toStrictEqual(locked);
      expect(await attempt("victim2@example.com", PASSWORD, null, "A".repeat(43))).toStrictEqual(locked);
      // Revoked: other2's own device, revoked, no longer shields other2.
      await t.db.trustedDevice.updateMany({ where: { userId: other.id }, data: { revokedAt: new Date() } });
      await lockFromElsewhere("other2@example.com");
      expect(await attempt("other2@example.com", PASSWORD, null, otherToken)).toStrictEqual(locked);
    });

    it("only the token's hash is stored", async () => {
      const u = await newUser("hash@example.com");
      const token = await tokenOf("hash@example.com");
      const rows = await t.db.trustedDevice.findMany({ where: { userId: u.id } });
      expect(rows).toHaveLength(1);
      expect(JSON.stringify(rows)).not.toContain(token);
    });
  });
});
