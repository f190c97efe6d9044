import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { clearSessionCookies, isSessionCookie, sessionIdFromCookieJar, sessionIdFromCookies } from "./portal-session";
import { sessionCookie } from "./password-session";

const dir = mkdtempSync(path.join(tmpdir(), "latchkey-portal-session-"));
const SECRET = "s".repeat(40);
vi.stubEnv("DATA_DIR", dir);
vi.stubEnv("LATCHKEY_SECRET", SECRET);
afterAll(() => {
  vi.unstubAllEnvs();
  rmSync(dir, { recursive: true, force: true });
});

const cookieFor = (sessionId: string, secret = SECRET, baseUrl = "http://localhost:3000") =>
  sessionCookie({ userId: "u1", sessionId }, { secret, maxAgeSeconds: 600, baseUrl });
const jarOf = (cookies: Record<string, string>) => ({ get: (n: string) => (n in cookies ? { value: cookies[n]! } : undefined) });

describe("the portal session cookie reader", () => {
  it("reads the session id the sign-in wrote, from a Cookie header and from Next's jar alike", async () => {
    const c = await cookieFor("sid-1");
    expect(await sessionIdFromCookies(`other=1; ${c.name}=${encodeURIComponent(c.value)}`)).toBe("sid-1");
    expect(await sessionIdFromCookieJar(jarOf({ [c.name]: c.value }))).toBe("sid-1");
  });

  it("prefers the __Secure- cookie (https) under both readers", async () => {
    const plain = await cookieFor("plain");
    const secure = await cookieFor("secure", SECRET, "https://id.example");
    expect(secure.name).toBe("__Secure-next-auth.session-token");
    expect(await sessionIdFromCookies(`${plain.name}=${plain.value}; ${secure.name}=${secure.value}`)).toBe("secure");
    expect(await sessionIdFromCookieJar(jarOf({ [plain.name]: plain.value, [secure.name]: secure.value }))).toBe("secure");
  });

  it("is signed out without a cookie, with a cookie sealed under another secret, or with garbage", async () => {
    const foreign = await cookieFor("x", "o".repeat(40));
    expect(await sessionIdFromCookies(null)).toBeNull();
    expect(await sessionIdFromCookieJar(jarOf({}))).toBeNull();
    expect(await sessionIdFromCookies(`${foreign.name}=${foreign.value}`)).toBeNull();
    expect(await sessionIdFromCookieJar(jarOf({ [foreign.name]: foreign.value }))).toBeNull();
    expect(await sessionIdFromCookies("next-auth.session-token=%E0%A4%A")).toBeNull();
    expect(await sessionIdFromCookieJar(jarOf({ "next-auth.session-token": "not-a-jwe" }))).toBeNull();
  });

  it("names the cookie under both names, with next-auth's chunks, and clears both", () => {
    expect(isSessionCookie("next-auth.session-token")).toBe(true);
    expect(isSessionCookie("__Secure-next-auth.session-token.1")).toBe(true);
    expect(isSessionCookie("next-auth.csrf-token")).toBe(false);
    expect(clearSessionCookies()).toEqual([
      "__Secure-next-auth.session-token=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax; Secure",
      "next-auth.session-token=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax",
    ]);
  });
});
