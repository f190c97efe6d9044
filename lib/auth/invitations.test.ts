// Admin mail on SQLite and PostgreSQL: an invitation creates an account with no usable password and
// mails a link (with mail off, the link comes back to show the admin once); a taken address is a
// field error; the invitation link sets the password and verifies the address.
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../config";
import { storesFor, type Stores } from "../db";
import { PROVIDERS, tempDatabase, type TempDatabase } from "@test/db";
import { startSmtpServer, type TestSmtpServer } from "@test/smtp-server";
import { createMailer } from "../mail/mailer";
import { NO_PASSWORD, verifyPassword } from "./password";
import { inviteUser, sendAdminReset } from "./invitations";
import { setPasswordWithLink } from "./password-reset";

const env = (vars: Record<string, string>) => ({ NODE_ENV: "test", ...vars }) as NodeJS.ProcessEnv;
const ISSUER = "https://id.example.com";

describe.each(PROVIDERS)("admin invitations and resets on %s", (provider) => {
  let t: TempDatabase;
  let dir: string;
  let s: Stores;
  let smtp: TestSmtpServer;
  let ttl: ReturnType<typeof loadConfig>["emailLinks"];
  let admin: { id: string; ip: string | null };
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "latchkey-invite-"));
    const cfg = loadConfig(env({ LATCHKEY_SECRET: "x".repeat(40), DATA_DIR: dir }));
    ttl = cfg.emailLinks;
    t = await tempDatabase(provider);
    s = storesFor(t.db, cfg);
    smtp = await startSmtpServer();
    admin = { id: (await s.users.create({ email: `admin-${provider}@example.com`, passwordHash: "x", role: "admin" })).id, ip: "192.0.2.9" };
  });
  afterAll(async () => {
    await smtp?.close();
    await t?.drop();
    rmSync(dir, { recursive: true, force: true });
  });
  const smtpDeps = () => ({ ...s, mailer: createMailer({ smtpUrl: smtp.url(), from: "Latchkey <no-reply@id.example.com>", outbox: { dir, keep: 10 } }), issuer: ISSUER, ttl });
  const outboxDeps = () => ({ ...s, mailer: createMailer({ smtpUrl: null, from: "Latchkey <no-reply@id.example.com>", outbox: { dir: path.join(dir, "outbox"), keep: 10 } }), issuer: ISSUER, ttl });

  it("invites: no usable password, an invitation mail whose link sets the password and verifies the address", async () => {
    const email = `ivy-${provider}@example.com`;
    const r = await inviteUser(smtpDeps(), admin, { email: ` ${email.toUpperCase()} `, name: "Ivy", role: "developer" });
    expect(r).toMatchObject({ ok: true, mail: { sent: true } });
    expect(r.ok && "link" in r.mail).toBe(false);
    const user = await t.db.user.findUniqueOrThrow({ where: { email } });
    expect({ role: user.role, passwordHash: user.passwordHash, emailVerified: user.emailVerified }).toEqual({ role: "developer", passwordHash: NO_PASSWORD, emailVerified: false });
    const mail = await smtp.waitFor(email);
    expect(mail.subject).toBe("You are invited to Latchkey");
    const token = new URL(mail.links[0]!).searchParams.get("token");
    expect(await setPasswordWithLink(s, { token, password: "my chosen passphrase", confirm: "my chosen passphrase" }, null)).toEqual({ ok: true, purpose: "invite", email });
    const after = await t.db.user.findUniqueOrThrow({ where: { email } });
    expect(await verifyPassword(after.passwordHash, "my chosen passphrase")).toBe(true);
    expect(after.emailVerified).toBe(true);
    expect(await t.db.auditEvent.count({ where: { type: { in: ["user.invited", "user.invite_accepted"] }, subjectId: user.id } })).toBe(2);
  });

  it("a taken address is a field error; a bad role too", async () => {
    expect(await inviteUser(smtpDeps(), admin, { email: `admin-${provider}@example.com`, name: "", role: "user" })).toEqual({
      ok: false,
      fieldErrors: { email: "An account with this email already exists." },
    });
    expect(await inviteUser(smtpDeps(), admin, { email: `r-${provider}@example.com`, name: "", role: "root" })).toEqual({
      ok: false,
      fieldErrors: { role: "Choose user, developer or admin." },
    });
  });

  it("with mail off (outbox), the invitation and a forced reset hand the admin the link; the message is in the outbox", async () => {
    const r = await inviteUser(outboxDeps(), admin, { email: `off-${provider}@example.com`, name: "", role: "user" });
    expect(r).toMatchObject({ ok: true, mail: { sent: true, link: expect.stringMatching(/^https:\/\/id\.example\.com\/reset-password\?token=/) } });
    const user = await t.db.user.findUniqueOrThrow({ where: { email: `off-${provider}@example.com` } });
    const reset = await sendAdminReset(outboxDeps(), user, admin.ip);
    expect(reset).toMatchObject({ sent: true, link: expect.stringMatching(/^https:\/\/id\.example\.com\/reset-password\?token=/) });
    expect(readdirSync(path.join(dir, "outbox")).length).toBeGreaterThanOrEqual(2);
  });

  it("mail down: the reset link is voided and mail.failed audited", async () => {
    const user = await s.users.create({ email: `down-${provider}@example.com`, passwordHash: "x" });
    const down = { ...smtpDeps(), mailer: createMailer({ smtpUrl: "smtp://127.0.0.1:1", from: "x@example.com", outbox: { dir, keep: 1 } }) };
    expect(await sendAdminReset(down, user, admin.ip)).toEqual({ sent: false });
    expect(await t.db.emailToken.count({ where: { userId: user.id, usedAt: null } })).toBe(0);
    expect(await t.db.auditEvent.count({ where: { type: "mail.failed", subjectId: user.id } })).toBe(1);
  });
});
