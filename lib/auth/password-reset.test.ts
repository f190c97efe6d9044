// Forgot password end to end below the pages, on SQLite and PostgreSQL, with a real SMTP server
// (test/smtp-server.ts): the mail that arrives and its link; unknown addresses get no mail; the
// throttles (per address, per caller address), audited; a mail server that is down voids the link
// and audits mail.failed; the link sets the password once, ends sessions and tokens, clears the
// lock, verifies the address; a password change voids a mailed link; an invited account has no password.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../config";
import { storesFor, type Stores } from "../db";
import { PROVIDERS, tempDatabase, type TempDatabase } from "@test/db";
import { startSmtpServer, type TestSmtpServer } from "@test/smtp-server";
import { createMailer } from "../mail/mailer";
import { hashPassword, NO_PASSWORD, verifyPassword } from "./password";
import { requestPasswordReset, setPasswordWithLink, type ResetRequestDeps } from "./password-reset";

const env = (vars: Record<string, string>) => ({ NODE_ENV: "test", ...vars }) as NodeJS.ProcessEnv;
const ISSUER = "https://id.example.com";
const NEW_PASSWORD = "a brand new passphrase";

describe.each(PROVIDERS)("forgot password on %s", (provider) => {
  let t: TempDatabase;
  let dir: string;
  let s: Stores;
  let smtp: TestSmtpServer;
  let deps: ResetRequestDeps;
  let n = 0;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "latchkey-reset-"));
    const cfg = loadConfig(env({ LATCHKEY_SECRET: "x".repeat(40), DATA_DIR: dir, EMAIL_LINKS_PER_ADDRESS: "3", EMAIL_LINKS_PER_IP: "1000" }));
    t = await tempDatabase(provider);
    s = storesFor(t.db, cfg);
    smtp = await startSmtpServer();
    const mailer = createMailer({ smtpUrl: smtp.url(), from: "Latchkey <no-reply@id.example.com>", outbox: { dir, keep: 10 } });
    deps = { ...s, mailer, issuer: ISSUER, ttl: cfg.emailLinks };
  });
  afterAll(async () => {
    await smtp?.close();
    await t?.drop();
    rmSync(dir, { recursive: true, force: true });
  });
  const newUser = async (over: { passwordHash?: string } = {}) =>
    s.users.create({ email: `u${++n}-${provider}@example.com`, name: "Ann", passwordHash: over.passwordHash ?? (await hashPassword("the old password")) });
  const tokenOf = (link: string) => new URL(link).searchParams.get("token")!;

  it("mails a link to a known address; the link sets the password once, ends sessions and tokens, unlocks and verifies", async () => {
    const u = await newUser();
    await t.db.user.update({ where: { id: u.id }, data: { mustResetPassword: true } });
    const session = await s.sessions.create({ userId: u.id, maxAgeSeconds: 3600, ip: null, userAgent: null });
    await t.db.loginThrottle.create({ data: { key: `email:${u.email}`, failures: 10, firstFailureAt: new Date(), lastFailureAt: new Date(), lockedUntil: new Date(Date.now() + 600_000) } });

    expect(await requestPasswordReset(deps, { email: ` ${u.email.toUpperCase()} `, ip: "192.0.2.1" })).toBe("sent");
    const mail = await smtp.waitFor(u.email);
    expect(mail.subject).toBe("Reset your Latchkey password");
    expect(mail.links).toHaveLength(1);
    const link = mail.links[0]!;
    expect(link).toMatch(/^https:\/\/id\.example\.com\/reset-password\?token=[A-Za-z0-9_-]{43}$/);

    // Two different passwords: a field error, and the link still works.
    expect(await setPasswordWithLink(s, { token: tokenOf(link), password: NEW_PASSWORD, confirm: "something else" }, null)).toEqual({
      ok: false,
      fieldErrors: { confirm: "The two passwords are not the same" },
    });
    expect(await setPasswordWithLink(s, { token: tokenOf(link), password: NEW_PASSWORD, confirm: NEW_PASSWORD }, "192.0.2.1")).toEqual({
      ok: true,
      purpose: "reset",
      email: u.email,
    });
    const after = await t.db.user.findUniqueOrThrow({ where: { id: u.id } });
    expect(await verifyPassword(after.passwordHash, NEW_PASSWORD)).toBe(true);
    expect(after.mustResetPassword).toBe(false);
    expect(after.emailVerified).toBe(true);
    expect((await t.db.portalSession.findUniqueOrThrow({ where: { id: session.id } })).revokedAt).not.toBeNull();
    expect(await t.db.loginThrottle.count({ where: { key: `email:${u.email}` } })).toBe(0);
    const event = await t.db.auditEvent.findFirstOrThrow({ where: { type: "password.reset", subjectId: u.id } });
    expect(JSON.parse(event.data!)).toMatchObject({ sessionsEnded: 1, unlocked: 1, emailVerified: true });
    expect(event.data).not.toContain(tokenOf(link));

    // Used: the same link again changes nothing.
    expect(await setPasswordWithLink(s, { token: tokenOf(link), password: "yet another passphrase", confirm: "yet another passphrase" }, null)).toEqual({
      ok: false,
      badLink: true,
    });
    expect(await verifyPassword((await t.db.user.findUniqueOrThrow({ where: { id: u.id } })).passwordHash, NEW_PASSWORD)).toBe(true);
  });

  it("an unknown or disabled address gets no mail (and the same outcome to the caller's page)", async () => {
    const before = smtp.messages.length;
    expect(await requestPasswordReset(deps, { email: `nobody-${provider}@example.com`, ip: "192.0.2.2" })).toBe("no_account");
    const u = await newUser();
    await t.db.user.update({ where: { id: u.id }, data: { disabled: true } });
    expect(await requestPasswordReset(deps, { email: u.email, ip: "192.0.2.2" })).toBe("no_account");
    expect(smtp.messages.length).toBe(before);
    expect(await t.db.emailToken.count({ where: { userId: u.id } })).toBe(0);
  });

  it("EMAIL_LINKS_PER_ADDRESS (3) an hour: the 4th request is throttled, audited, and sends nothing", async () => {
    const u = await newUser();
    for (let i = 0; i < 3; i++) expect(await requestPasswordReset(deps, { email: u.email, ip: `192.0.2.${10 + i}` })).toBe("sent");
    expect(await requestPasswordReset(deps, { email: u.email, ip: "192.0.2.20" })).toBe("throttled");
    const e = await t.db.auditEvent.findFirstOrThrow({ where: { type: "password.reset_throttled", subjectId: u.id } });
    expect(JSON.parse(e.data!)).toEqual({ limit: "address" });
    // Only the newest link of the three works.
    expect(await t.db.emailToken.count({ where: { userId: u.id, usedAt: null } })).toBe(1);
    // Unknown addresses are counted the same way.
    for (let i = 0; i < 3; i++) await requestPasswordReset(deps, { email: `ghost-${provider}@example.com`, ip: "192.0.2.21" });
    expect(await requestPasswordReset(deps, { email: `ghost-${provider}@example.com`, ip: "192.0.2.21" })).toBe("throttled");
  });

  it("the caller's address is counted first: over EMAIL_LINKS_PER_IP nothing else is counted", async () => {
    const cfg = loadConfig(env({ LATCHKEY_SECRET: "x".repeat(40), DATA_DIR: dir, EMAIL_LINKS_PER_IP: "2" }));
    const limited = { ...deps, emailLinkLimits: storesFor(t.db, cfg).emailLinkLimits };
    await requestPasswordReset(limited, { email: `a-${provider}@example.com`, ip: "198.51.100.7" });
    await requestPasswordReset(limited, { email: `b-${provider}@example.com`, ip: "198.51.100.7" });
    expect(await requestPasswordReset(limited, { email: `c-${provider}@example.com`, ip: "198.51.100.7" })).toBe("throttled");
    expect(await t.db.loginThrottle.count({ where: { key: `link-email:c-${provider}@example.com` } })).toBe(0);
  });

  it("a mail server that is down: the link is voided and mail.failed audited (no link, no body)", async () => {
    const u = await newUser();
    const down = createMailer({ smtpUrl: "smtp://127.0.0.1:1", from: "x@example.com", outbox: { dir, keep: 1 } });
    expect(await requestPasswordReset({ ...deps, mailer: down }, { email: u.email, ip: "192.0.2.30" })).toBe("mail_failed");
    expect(await t.db.emailToken.count({ where: { userId: u.id, usedAt: null } })).toBe(0);
    const e = await t.db.auditEvent.findFirstOrThrow({ where: { type: "mail.failed", subjectId: u.id } });
    expect(JSON.parse(e.data!)).toEqual({ purpose: "reset", reason: "ESOCKET", mode: "smtp" });
  });

  it("a password change voids a mailed reset link", async () => {
    const u = await newUser();
    expect(await requestPasswordReset(deps, { email: u.email, ip: "192.0.2.40" })).toBe("sent");
    const link = (await smtp.waitFor(u.email)).links[0]!;
    const session = await s.sessions.create({ userId: u.id, maxAgeSeconds: 3600, ip: null, userAgent: null });
    await s.account.changePassword(u.id, session.id, await hashPassword("changed meanwhile"));
    expect(await setPasswordWithLink(s, { token: tokenOf(link), password: NEW_PASSWORD, confirm: NEW_PASSWORD }, null)).toEqual({ ok: false, badLink: true });
  });

  it("an account without a password (an invitation not yet accepted) cannot sign in with any password", async () => {
    const u = await newUser({ passwordHash: NO_PASSWORD });
    expect(await verifyPassword(u.passwordHash, "")).toBe(false);
    expect(await verifyPassword(u.passwordHash, NO_PASSWORD)).toBe(false);
    expect(await verifyPassword(u.passwordHash, "!no-password")).toBe(false);
  });
});
