// Self-service sign-up against real SQLite and PostgreSQL: the per-address limit (counted first,
// so parallel sign-ups cannot outrun it) and the name rules.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../config";
import { storesFor, type Stores } from "../db";
import { PROVIDERS, tempDatabase, type TempDatabase } from "@test/db";
import { signUpLimitStore } from "../db/throttle";
import { signUp, type SignUpDeps } from "./sign-up";
import { hasForbiddenNameCharacters } from "./display-name";
import { startSmtpServer, type TestSmtpServer } from "@test/smtp-server";
import { createMailer } from "../mail/mailer";

const env = (vars: Record<string, string>) => ({ NODE_ENV: "test", ...vars }) as NodeJS.ProcessEnv;
const PASSWORD = "a long enough password";
const LIMITED = "Too many accounts have been created from your network recently. Try again in 60 minutes.";

describe("names", () => {
  it.each([
    ["a right-to-left override", "Ada\u202Eelgoog"],
    ["a left-to-right isolate", "Ada\u2066x"],
    ["a pop directional isolate", "Ada\u2069"],
    ["a right-to-left mark", "Ada\u200F"],
    ["a zero-width space", "Ada\u200BLovelace"],
    ["a NUL", "Ada\u0000"],
    ["a newline", "Ada\nAdmin"],
    ["a C1 control", "Ada\u0085"],
    ["a line separator", "Ada\u2028"],
    ["a BOM", "\uFEFFAda"],
  ])("refuses %s", (_what, name) => {
    expect(hasForbiddenNameCharacters(name)).toBe(true);
  });

  it.each(["Ada Lovelace", "Zoë O'Brien-Smith", "محمد", "José", "李小龍", "می\u200Cخواهم", "👩\u200D💻 Dev"])("allows %s", (name) => {
    expect(hasForbiddenNameCharacters(name)).toBe(false);
  });
});

describe.each(PROVIDERS)("signUp on %s", (provider) => {
  let t: TempDatabase;
  let dir: string;
  let s: SignUpDeps;
  let stores: Stores;
  let smtp: TestSmtpServer;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "latchkey-signup-"));
    const cfg = loadConfig(env({ LATCHKEY_SECRET: "x".repeat(40), DATA_DIR: dir, SIGNUP_IP_LIMIT: "3" }));
    t = await tempDatabase(provider);
    smtp = await startSmtpServer();
    stores = storesFor(t.db, cfg);
    const mailer = createMailer({ smtpUrl: smtp.url(), from: "Latchkey <no-reply@id.example.com>", outbox: { dir, keep: 10 } });
    s = { ...stores, mailer, issuer: "https://id.example.com", ttl: cfg.emailLinks };
  });
  afterAll(async () => {
    await smtp?.close();
    await t?.drop();
    rmSync(dir, { recursive: true, force: true });
  });
  const form = (email: string, name = "Ada") => ({ name, email, password: PASSWORD });

  it("a name with a bidirectional override is refused on the name field; nothing is created or counted", async () => {
    const r = await signUp(s, form("bidi@example.com", "Ada\u202Eelgoog"), "192.0.2.40");
    expect(r).toStrictEqual({
      ok: false,
      fieldErrors: { name: "Use letters, spaces and punctuation only (no control or invisible formatting characters)" },
    });
    expect(await t.db.user.count({ where: { email: "bidi@example.com" } })).toBe(0);
    expect(await t.db.loginThrottle.count({ where: { key: "signup:192.0.2.40" } })).toBe(0);
  });

  it("SIGNUP_IP_LIMIT (3) accounts per address and window; the 4th gets a clear message; other addresses are not affected", async () => {
    for (let i = 0; i < 3; i++) expect(await signUp(s, form(`a${i}@example.com`), "192.0.2.41")).toStrictEqual({ ok: true });
    expect(await signUp(s, form("a3@example.com"), "192.0.2.41")).toStrictEqual({ ok: false, fieldErrors: {}, formError: LIMITED });
    expect(await t.db.user.count({ where: { email: "a3@example.com" } })).toBe(0);
    expect(await signUp(s, form("b0@example.com"), "192.0.2.42")).toStrictEqual({ ok: true });
  });

  it("40 parallel sign-ups from one address create exactly SIGNUP_IP_LIMIT (3) accounts", async () => {
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => signUp(s, form(`par${i}@example.com`), "192.0.2.43")));
    expect(results.filter((r) => r.ok)).toHaveLength(3);
    expect(results.filter((r) => !r.ok && r.formError === LIMITED)).toHaveLength(37);
    expect(await t.db.user.count({ where: { email: { startsWith: "par" } } })).toBe(3);
  });

  it("the window restarts once it has passed", async () => {
    const store = signUpLimitStore(t.db, { perIp: 1, windowSeconds: 60 });
    const T0 = new Date("2025-01-01T00:00:00Z");
    expect(await store.count("192.0.2.44", T0)).toStrictEqual({ ok: true });
    expect(await store.count("192.0.2.44", new Date(T0.getTime() + 30_000))).toStrictEqual({ ok: false, retryAfterSeconds: 30 });
    expect(await store.count("192.0.2.44", new Date(T0.getTime() + 60_000))).toStrictEqual({ ok: true });
  });

  it("a new address gets its account and a verification link; nobody is signed in", async () => {
    expect(await signUp(s, form("New@Example.com"), "192.0.2.50")).toStrictEqual({ ok: true });
    const user = await t.db.user.findUniqueOrThrow({ where: { email: "new@example.com" } });
    expect(user.emailVerified).toBe(false);
    const mail = await smtp.waitFor("new@example.com");
    expect(mail.subject).toBe("Confirm your email address for Latchkey");
    expect(mail.links).toEqual([expect.stringMatching(/^https:\/\/id\.example\.com\/verify-email\?token=[A-Za-z0-9_-]{43}$/)]);
    expect(await t.db.portalSession.count({ where: { userId: user.id } })).toBe(0);
  });

  it("a taken address gets the same answer; its owner is told by email, with sign-in and reset links; nothing changes", async () => {
    const owner = await stores.users.create({ name: "Owner", email: `owner-${provider}@example.com`, passwordHash: "x" });
    expect(await signUp(s, form(owner.email, "Mallory"), "192.0.2.51")).toStrictEqual({ ok: true });
    const mail = await smtp.waitFor(owner.email);
    expect(mail.subject).toBe("Someone tried to create a Latchkey account with your address");
    expect(mail.links).toEqual(["https://id.example.com/signin", "https://id.example.com/forgot-password"]);
    const after = await t.db.user.findUniqueOrThrow({ where: { id: owner.id } });
    expect(after.name).toBe("Owner");
    expect(after.passwordHash).toBe("x");
    expect(await t.db.auditEvent.count({ where: { type: "signup.address_taken", subjectId: owner.id } })).toBe(1);
  });

  it("mail down: a clear message for both, the verification link voided and mail.failed audited", async () => {
    const down = { ...s, mailer: createMailer({ smtpUrl: "smtp://127.0.0.1:1", from: "x@example.com", outbox: { dir, keep: 1 } }) };
    const failed = { ok: false, fieldErrors: {}, formError: "We could not send the email; try again in a few minutes." };
    expect(await signUp(down, form(`down-${provider}@example.com`), "192.0.2.52")).toStrictEqual(failed);
    const user = await t.db.user.findUniqueOrThrow({ where: { email: `down-${provider}@example.com` } });
    expect(await t.db.emailToken.count({ where: { userId: user.id, usedAt: null } })).toBe(0);
    expect(await t.db.auditEvent.count({ where: { type: "mail.failed", subjectId: user.id } })).toBe(1);
    // Trying again, the address is now taken: the same message when that mail fails too.
    expect(await signUp(down, form(`down-${provider}@example.com`), "192.0.2.52")).toStrictEqual(failed);
  });

  it("no known address: not limited", async () => {
    for (let i = 0; i < 5; i++) expect(await signUp(s, form(`noip${i}@example.com`), null)).toStrictEqual({ ok: true });
  });
});
