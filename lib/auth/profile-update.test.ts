// Editing one's own profile, against real SQLite and PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { PROVIDERS, tempDatabase, type TempDatabase } from "@test/db";
import { accountStore } from "../db/account";
import { auditStore } from "../db/audit";
import { throttleStore } from "../db/throttle";
import { userStore } from "../db/users";
import type { ThrottleConfig } from "../config";
import { hashPassword } from "./password";
import { updateOwnProfile, type ProfileDeps } from "./profile-update";
import { emailTokenStore } from "../db/email-tokens";
import { emailVerificationStore } from "../db/email-verification";
import { createMailer } from "../mail/mailer";
import { startSmtpServer, type TestSmtpServer } from "@test/smtp-server";
import { applyVerificationLink } from "./email-verification";

const PASSWORD = "correct horse battery";
const THROTTLE: ThrottleConfig = { slowAfter: 100, backoffSeconds: 1, lockAfter: 2, ipLockAfter: 1000, lockSeconds: 600, windowSeconds: 900 };

describe.each(PROVIDERS)("updateOwnProfile on %s", (provider) => {
  let t: TempDatabase;
  let d: ProfileDeps;
  let hash: string;
  let smtp: TestSmtpServer;
  beforeAll(async () => {
    t = await tempDatabase(provider);
    smtp = await startSmtpServer();
    d = {
      users: userStore(t.db),
      throttle: throttleStore(t.db, THROTTLE),
      audit: auditStore(t.db),
      account: accountStore(t.db),
      emailTokens: emailTokenStore(t.db),
      mailer: createMailer({ smtpUrl: smtp.url(), from: "Latchkey <no-reply@id.example.com>", outbox: { dir: "/nonexistent", keep: 1 } }),
      issuer: "https://id.example.com",
      ttl: { verifySeconds: 86_400 },
    };
    hash = await hashPassword(PASSWORD);
  });
  afterAll(async () => {
    await smtp?.close();
    await t?.drop();
  });

  const newUser = () => userStore(t.db).create({ email: `p-${randomUUID()}@test.dev`, passwordHash: hash, name: "Ada", emailVerified: true });
  const row = (id: string) => t.db.user.findUniqueOrThrow({ where: { id } });
  const types = async (id: string) => (await t.db.auditEvent.findMany({ where: { subjectId: id }, orderBy: { createdAt: "asc" } })).map((e) => e.type);

  it("changes the name without a password", async () => {
    const u = await newUser();
    expect(await updateOwnProfile(d, { userId: u.id, ip: null }, { name: "Ada L.", email: u.email })).toEqual({ ok: true, changed: ["name"] });
    expect((await row(u.id)).name).toBe("Ada L.");
    expect(await types(u.id)).toEqual(["user.created", "user.updated"]);
  });

  it("a name with a bidirectional override or a control character is refused; nothing changes", async () => {
    const u = await newUser();
    for (const name of ["Ada\u202Eelgoog", "Ada\nAdmin"]) {
      expect(await updateOwnProfile(d, { userId: u.id, ip: null }, { name, email: u.email })).toEqual({
        ok: false,
        fieldErrors: { name: "Use letters, spaces and punctuation only (no control or invisible formatting characters)" },
      });
    }
    expect((await row(u.id)).name).toBe("Ada");
  });

  it("a new email needs the current password: missing or wrong changes nothing; right mails a link, and the change applies when it is used", async () => {
    const u = await newUser();
    const caller = { userId: u.id, ip: "192.0.2.4" };
    const email = `NEW-${u.email}`;
    expect(await updateOwnProfile(d, caller, { name: "Ada", email })).toEqual({
      ok: false,
      fieldErrors: { currentPassword: "Enter your current password to change your email" },
    });
    expect(await updateOwnProfile(d, caller, { name: "Ada", email, currentPassword: "wrong password!" })).toEqual({
      ok: false,
      fieldErrors: { currentPassword: "That is not your current password." },
    });
    expect((await row(u.id)).email).toBe(u.email);
    expect(await updateOwnProfile(d, caller, { name: "Ada", email, currentPassword: PASSWORD })).toEqual({ ok: true, changed: [], emailPending: true });
    // Not yet: the account keeps its address until the link is used.
    expect((await row(u.id)).email).toBe(u.email);
    const mail = await smtp.waitFor(email.toLowerCase());
    expect(mail.subject).toBe("Confirm your new email address for Latchkey");
    const token = new URL(mail.links[0]!).searchParams.get("token");
    const v = { emailVerification: emailVerificationStore(t.db), mailer: d.mailer, audit: d.audit, issuer: d.issuer };
    expect(await applyVerificationLink(v, token, "192.0.2.4")).toEqual({ ok: true, kind: "changed", userId: u.id, email: email.toLowerCase(), previousEmail: u.email });
    const after = await row(u.id);
    expect({ email: after.email, emailVerified: after.emailVerified }).toEqual({ email: email.toLowerCase(), emailVerified: true });
    expect(await types(u.id)).toEqual(["user.created", "user.reauth_failed", "user.email_changed"]);
    // The old address is told.
    const notice = await smtp.waitFor(u.email);
    expect(notice.subject).toBe("Your Latchkey email address was changed");
    expect(notice.text).toContain(`from ${u.email} to ${email.toLowerCase()}`);
    // Once only.
    expect(await applyVerificationLink(v, token, null)).toEqual({ ok: false, reason: "invalid" });
  });

  it("refuses another account's email, and locks re-authentication after repeated wrong passwords", async () => {
    const a = await newUser();
    const b = await newUser();
    const caller = { userId: b.id, ip: null };
    expect(await updateOwnProfile(d, caller, { name: "Bob", email: a.email.toUpperCase(), currentPassword: PASSWORD })).toEqual({
      ok: false,
      fieldErrors: { email: "Another account already uses this email." },
    });
    for (let i = 0; i < THROTTLE.lockAfter; i++) {
      await updateOwnProfile(d, caller, { name: "Bob", email: `x-${b.email}`, currentPassword: `wrong ${i}` });
    }
    expect(await updateOwnProfile(d, caller, { name: "Bob", email: `x-${b.email}`, currentPassword: PASSWORD })).toEqual({
      ok: false,
      formError: "Too many wrong passwords. Try again in 10 minutes.",
    });
    expect((await row(b.id)).email).toBe(b.email);
    expect((await types(b.id)).at(-1)).toBe("user.reauth_throttled");
  });

  it("validates like sign-up", async () => {
    const u = await newUser();
    expect(await updateOwnProfile(d, { userId: u.id, ip: null }, { name: " ", email: "not-an-email" })).toEqual({
      ok: false,
      fieldErrors: { name: "Enter your name", email: "Enter a valid email address" },
    });
  });
});
