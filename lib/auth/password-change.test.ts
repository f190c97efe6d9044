// Changing one's own password, against real SQLite and PostgreSQL (real argon2 hashes).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { PROVIDERS, tempDatabase, type TempDatabase } from "@test/db";
import { accountStore } from "../db/account";
import { auditStore } from "../db/audit";
import { sessionStore } from "../db/sessions";
import { throttleStore } from "../db/throttle";
import { userStore } from "../db/users";
import { clientStore } from "../db/clients";
import { deviceStore } from "../db/devices";
import { clientMetadataSchema } from "../oauth/client-metadata";
import { randomToken, sha256 } from "../crypto/tokens";
import type { ThrottleConfig } from "../config";
import { hashPassword, verifyPassword } from "./password";
import { changeOwnPassword, passwordChangeThrottleKey, type PasswordChangeDeps } from "./password-change";

const OLD = "correct horse battery";
const NEW = "staple tree lamp river";
// No delay before the lock, so that the test needs no waiting: 3 failures lock for 10 minutes.
const THROTTLE: ThrottleConfig = { slowAfter: 100, backoffSeconds: 1, lockAfter: 3, ipLockAfter: 1000, lockSeconds: 600, windowSeconds: 900 };

describe.each(PROVIDERS)("changeOwnPassword on %s", (provider) => {
  let t: TempDatabase;
  let deps: PasswordChangeDeps;
  let oldHash: string;
  beforeAll(async () => {
    t = await tempDatabase(provider);
    deps = { users: userStore(t.db), throttle: throttleStore(t.db, THROTTLE), audit: auditStore(t.db), account: accountStore(t.db) };
    oldHash = await hashPassword(OLD);
  });
  afterAll(async () => {
    await t?.drop();
  });

  async function signedInTwice() {
    const user = await userStore(t.db).create({ email: `pw-${randomUUID()}@test.dev`, passwordHash: oldHash });
    const sessions = sessionStore(t.db);
    const here = await sessions.create({ userId: user.id, maxAgeSeconds: 3600 });
    const elsewhere = await sessions.create({ userId: user.id, maxAgeSeconds: 3600 });
    return { user, here, elsewhere, caller: { userId: user.id, sessionId: here.id, ip: "192.0.2.3" } };
  }
  const types = async (userId: string) =>
    (await t.db.auditEvent.findMany({ where: { subjectId: userId }, orderBy: { createdAt: "asc" } })).map((e) => e.type);

  it("with the right current password: new hash, flag cleared, other sessions ended, this one kept", async () => {
    const { user, here, elsewhere, caller } = await signedInTwice();
    await t.db.user.update({ where: { id: user.id }, data: { mustResetPassword: true } });
    const r = await changeOwnPassword(deps, caller, { currentPassword: OLD, newPassword: NEW });
    expect(r).toEqual({ ok: true, otherSessionsEnded: 1, appsSignedOut: 0 });
    const after = await t.db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(await verifyPassword(after.passwordHash, NEW)).toBe(true);
    expect(await verifyPassword(after.passwordHash, OLD)).toBe(false);
    expect(after.mustResetPassword).toBe(false);
    const sessions = sessionStore(t.db);
    expect(await sessions.findWithUser(here.id)).not.toBeNull();
    expect(await sessions.findWithUser(elsewhere.id)).toBeNull();
    expect(await types(user.id)).toEqual(["user.created", "user.password_changed"]);
  });

  /** A connected app: a consent with a live refresh token and a live access token. */
  async function connectApp(userId: string) {
    const meta = clientMetadataSchema.parse({ client_name: "App", redirect_uris: ["https://app.test/cb"], grant_types: ["authorization_code", "refresh_token"] });
    const client = await clientStore(t.db).create(meta, null);
    const now = Date.now();
    const grantId = randomUUID();
    await t.db.consent.create({ data: { userId, clientId: client.id, scopes: "openid offline_access" } });
    await t.db.refreshToken.create({
      data: {
        tokenHash: sha256(randomToken()),
        grantId,
        clientId: client.id,
        userId,
        scope: "openid offline_access",
        authTime: new Date(now),
        expiresAt: new Date(now + 3_600_000),
        absoluteExpiresAt: new Date(now + 86_400_000),
      },
    });
    await t.db.accessToken.create({ data: { jti: randomToken(16), grantId, clientId: client.id, userId, scope: "openid", expiresAt: new Date(now + 600_000) } });
  }
  const live = async (userId: string) => ({
    consents: await t.db.consent.count({ where: { userId, revokedAt: null } }),
    refreshTokens: await t.db.refreshToken.count({ where: { userId, revokedAt: null } }),
    accessTokens: await t.db.accessToken.count({ where: { userId, revokedAt: null } }),
  });

  it("by default a password change signs every connected app out: consents, refresh and access tokens revoked, audited", async () => {
    const { user, caller } = await signedInTwice();
    await connectApp(user.id);
    await connectApp(user.id);
    // Anything but the checkbox's value ("yes") is no: the safe default.
    const r = await changeOwnPassword(deps, caller, { currentPassword: OLD, newPassword: NEW, keepApps: "on" });
    expect(r).toEqual({ ok: true, otherSessionsEnded: 1, appsSignedOut: 2 });
    expect(await live(user.id)).toEqual({ consents: 0, refreshTokens: 0, accessTokens: 0 });
    const e = await t.db.auditEvent.findFirstOrThrow({ where: { type: "user.password_changed", subjectId: user.id } });
    expect(JSON.parse(e.data!)).toEqual({ otherSessionsEnded: 1, keptApps: false, consents: 2, codes: 0, refreshTokens: 2, accessTokens: 2, devices: 0 });
  });

  it("with Keep my connected apps signed in (keepApps=yes) the apps keep their tokens; trusted browsers are forgotten either way", async () => {
    const { user, caller } = await signedInTwice();
    await connectApp(user.id);
    await deviceStore(t.db).issue(user.id);
    const r = await changeOwnPassword(deps, caller, { currentPassword: OLD, newPassword: NEW, keepApps: "yes" });
    expect(r).toEqual({ ok: true, otherSessionsEnded: 1, appsSignedOut: 0 });
    expect(await live(user.id)).toEqual({ consents: 1, refreshTokens: 1, accessTokens: 1 });
    const e = await t.db.auditEvent.findFirstOrThrow({ where: { type: "user.password_changed", subjectId: user.id } });
    expect(JSON.parse(e.data!)).toEqual({ otherSessionsEnded: 1, keptApps: true, devices: 1 });
    expect(await t.db.trustedDevice.count({ where: { userId: user.id, revokedAt: null } })).toBe(0);
  });

  it("a wrong current password is an inline error, audited and counted; nothing changes", async () => {
    const { user, elsewhere, caller } = await signedInTwice();
    const r = await changeOwnPassword(deps, caller, { currentPassword: "not it at all", newPassword: NEW });
    expect(r).toEqual({ ok: false, fieldErrors: { currentPassword: "That is not your current password." } });
    const after = await t.db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(after.passwordHash).toBe(oldHash);
    expect(await sessionStore(t.db).findWithUser(elsewhere.id)).not.toBeNull();
    expect(await types(user.id)).toEqual(["user.created", "user.password_change_failed"]);
    const row = await t.db.loginThrottle.findUniqueOrThrow({ where: { key: passwordChangeThrottleKey(user.id)[0]!.key } });
    expect(row.failures).toBe(1);
    // Sign-in's own counter for the account is untouched.
    expect(await t.db.loginThrottle.count({ where: { key: `email:${user.email}` } })).toBe(0);
  });

  it("after too many wrong passwords even the right one is refused until the lock ends", async () => {
    const { user, caller } = await signedInTwice();
    for (let i = 0; i < THROTTLE.lockAfter; i++) {
      expect((await changeOwnPassword(deps, caller, { currentPassword: `wrong ${i} password`, newPassword: NEW })).ok).toBe(false);
    }
    const r = await changeOwnPassword(deps, caller, { currentPassword: OLD, newPassword: NEW });
    expect(r).toEqual({ ok: false, formError: "Too many wrong passwords. Try again in 10 minutes." });
    expect((await t.db.user.findUniqueOrThrow({ where: { id: user.id } })).passwordHash).toBe(oldHash);
    expect((await types(user.id)).at(-1)).toBe("user.password_change_throttled");
  });

  it("applies the sign-up rules to the new password and refuses the current one again", async () => {
    const { user, caller } = await signedInTwice();
    expect(await changeOwnPassword(deps, caller, { currentPassword: OLD, newPassword: "short" })).toEqual({
      ok: false,
      fieldErrors: { newPassword: "Use at least 10 characters" },
    });
    expect(await changeOwnPassword(deps, caller, { currentPassword: "", newPassword: "x".repeat(257) })).toEqual({
      ok: false,
      fieldErrors: { currentPassword: "Enter your current password", newPassword: "Use at most 256 characters" },
    });
    expect(await changeOwnPassword(deps, caller, { currentPassword: OLD, newPassword: OLD })).toEqual({
      ok: false,
      fieldErrors: { newPassword: "Choose a password different from your current one." },
    });
    expect(await changeOwnPassword(deps, caller, { currentPassword: null, newPassword: 42 })).toMatchObject({ ok: false });
    expect((await t.db.user.findUniqueOrThrow({ where: { id: user.id } })).passwordHash).toBe(oldHash);
    expect(await types(user.id)).toEqual(["user.created"]);
  });
});
