// The one password sign-in behind next-auth's authorize and the portal's server actions: the
// browser's previous session ends, the input is cut to size, and the cookie the actions set is
// next-auth's own (same name, same attributes, a value next-auth decodes to the session id).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { decode as nextAuthDecode } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig, type AppConfig } from "../config";
import { storesFor, type Stores } from "../db";
import { PROVIDERS, tempDatabase, type TempDatabase } from "@test/db";
import { userStore } from "../db/users";
import { hashPassword } from "./password";
import { passwordSignIn, sessionCookie, signInErrorCode } from "./password-session";

const PASSWORD = "correct horse battery staple";
const SECRET = "s".repeat(40);

describe("sessionCookie", () => {
  const signedIn = { userId: "u-1", sessionId: "sess-1" };

  it("on http: next-auth.session-token, HttpOnly, SameSite=Lax, Path=/, not Secure, expiring after max age", async () => {
    const before = Date.now();
    const c = await sessionCookie(signedIn, { secret: SECRET, maxAgeSeconds: 3600, baseUrl: "http://localhost:3000" });
    expect(c.name).toBe("next-auth.session-token");
    expect({ ...c.options, expires: undefined }).toStrictEqual({ httpOnly: true, sameSite: "lax", path: "/", secure: false, expires: undefined });
    const ms = c.options.expires.getTime() - before;
    expect(ms).toBeGreaterThanOrEqual(3600_000);
    expect(ms).toBeLessThan(3600_000 + 60_000);
  });

  it("on https: the __Secure- prefix and Secure, as next-auth names it", async () => {
    const c = await sessionCookie(signedIn, { secret: SECRET, maxAgeSeconds: 60, baseUrl: "https://id.example.com" });
    expect(c.name).toBe("__Secure-next-auth.session-token");
    expect(c.options.secure).toBe(true);
  });

  it("carries { sub, sid } that next-auth's own decode reads", async () => {
    const c = await sessionCookie(signedIn, { secret: SECRET, maxAgeSeconds: 3600, baseUrl: "http://localhost:3000" });
    expect(await nextAuthDecode({ token: c.value, secret: SECRET })).toMatchObject({ sub: "u-1", sid: "sess-1" });
    await expect(nextAuthDecode({ token: c.value, secret: `${SECRET}x` })).rejects.toThrow();
  });
});

describe("signInErrorCode", () => {
  it("is the code the sign-in page words (lib/auth/sign-in-messages.ts)", () => {
    expect(signInErrorCode({ ok: false, error: "invalid" })).toBe("invalid");
    expect(signInErrorCode({ ok: false, error: "wait", retryAfterSeconds: 4 })).toBe("wait:4");
    expect(signInErrorCode({ ok: false, error: "locked", retryAfterSeconds: 600 })).toBe("locked:600");
  });
});

describe.each(PROVIDERS)("passwordSignIn on %s", (provider) => {
  let t: TempDatabase;
  let dir: string;
  let cfg: AppConfig;
  let s: Stores;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "latchkey-pwsession-"));
    cfg = loadConfig({ NODE_ENV: "test", LATCHKEY_SECRET: SECRET, DATA_DIR: dir } as NodeJS.ProcessEnv);
    t = await tempDatabase(provider);
    s = storesFor(t.db, cfg);
    process.env.LATCHKEY_SECRET = SECRET;
  });
  afterAll(async () => {
    await t?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const request = (email: unknown, password: unknown, cookieHeader: string | null = null) => ({
    email,
    password,
    ip: "203.0.113.9",
    userAgent: "vitest",
    cookieHeader,
  });

  it("signs in, and ends the session the browser's cookie named before", async () => {
    const u = await userStore(t.db).create({ email: "again@example.com", passwordHash: await hashPassword(PASSWORD) });
    const first = await passwordSignIn(s, request("again@example.com", PASSWORD), cfg.sessionMaxAgeSeconds);
    if (!first.ok) throw new Error(`first sign-in refused: ${first.error}`);
    const cookie = await sessionCookie(first, { secret: cfg.secret, maxAgeSeconds: 3600, baseUrl: "http://localhost" });

    const second = await passwordSignIn(s, request("again@example.com", PASSWORD, `a=b; ${cookie.name}=${cookie.value}`), cfg.sessionMaxAgeSeconds);
    if (!second.ok) throw new Error(`second sign-in refused: ${second.error}`);
    expect(second.userId).toBe(u.id);
    expect(second.sessionId).not.toBe(first.sessionId);
    expect(await s.sessions.findWithUser(first.sessionId)).toBeNull();
    expect((await s.sessions.findWithUser(second.sessionId))?.userId).toBe(u.id);
  });

  it("a refused sign-in leaves the previous session alone", async () => {
    await userStore(t.db).create({ email: "keep@example.com", passwordHash: await hashPassword(PASSWORD) });
    const first = await passwordSignIn(s, request("keep@example.com", PASSWORD), cfg.sessionMaxAgeSeconds);
    if (!first.ok) throw new Error("first sign-in refused");
    const cookie = await sessionCookie(first, { secret: cfg.secret, maxAgeSeconds: 3600, baseUrl: "http://localhost" });
    const r = await passwordSignIn(s, request("keep@example.com", "wrong", `${cookie.name}=${cookie.value}`), cfg.sessionMaxAgeSeconds);
    expect(r).toStrictEqual({ ok: false, error: "invalid" });
    expect(await s.sessions.findWithUser(first.sessionId)).not.toBeNull();
  });

  it("anything but strings is an empty email and password: refused, not a crash", async () => {
    expect(await passwordSignIn(s, request({ $ne: "" }, ["x"]), cfg.sessionMaxAgeSeconds)).toStrictEqual({ ok: false, error: "invalid" });
    expect(await passwordSignIn(s, request(undefined, null), cfg.sessionMaxAgeSeconds)).toStrictEqual({ ok: false, error: "invalid" });
  });
});
