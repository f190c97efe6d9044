// Deleting one's own account and downloading one's data, on SQLite and PostgreSQL: deletion
// removes every row of the user in every table and nothing of anyone else's, keeps the clients
// and APIs the user registered (ownerless), scrubs the user's addresses from the audit log,
// refuses the last admin; the export holds exactly what it says and no secret.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { PROVIDERS, tempDatabase, type TempDatabase } from "@test/db";
import { accountDeletionStore, LastAdmin } from "./account-deletion";
import { accountExportStore, EXPORT_EVENTS_MAX } from "./account-export";
import { accountExport } from "../auth/account-export";
import { audit } from "./audit";
import { deviceStore } from "./devices";
import { sessionStore } from "./sessions";
import { userStore } from "./users";
import { randomToken, sha256 } from "../crypto/tokens";

const HOUR = 3_600_000;

it("the deletion test below covers every relation of User in prisma/models.prisma (a new one must be added there)", () => {
  const model = /\nmodel User \{([\s\S]*?)\n\}/.exec(readFileSync("prisma/models.prisma", "utf8"))?.[1] ?? "";
  const relations = [...model.matchAll(/^\s+\w+\s+(\w+)\[\]/gm)].map((m) => m[1]).sort();
  // Client and Api rows are kept without an owner (onDelete: SetNull); the rest cascade.
  expect(relations).toEqual(
    ["AccessToken", "Api", "AuthorizationCode", "Client", "Consent", "EmailToken", "Passkey", "PortalSession", "RecoveryCode", "RefreshToken", "TrustedDevice"].sort(),
  );
});

describe.each(PROVIDERS)("account lifecycle on %s", (provider) => {
  let t: TempDatabase;
  beforeAll(async () => {
    t = await tempDatabase(provider);
  });
  afterAll(async () => {
    await t?.drop();
  });

  const newUser = (prefix: string, role = "user") =>
    userStore(t.db).create({ email: `${prefix}-${randomUUID()}@test.dev`, passwordHash: "argon2-hash-of-user", name: `${prefix} name`, role: role as "user" });

  /** One of everything a user can have, at a client of someone else's; returns the session. */
  async function fullAccount(userId: string, email: string) {
    const now = Date.now();
    const client = await t.db.client.create({
      data: { clientId: `lk_${randomToken(8)}`, name: "Someone's app", tokenEndpointAuthMethod: "none", redirectUris: "[]", scopes: "openid", grantTypes: "authorization_code" },
    });
    const session = await sessionStore(t.db).create({ userId, maxAgeSeconds: 3600, ip: "198.51.100.7", userAgent: "Test browser" });
    const device = await deviceStore(t.db).issue(userId);
    await t.db.consent.create({ data: { userId, clientId: client.id, scopes: "openid" } });
    await t.db.authorizationCode.create({
      data: { codeHash: sha256(randomToken()), grantId: randomUUID(), clientId: client.id, userId, redirectUri: "https://a.test/cb", scope: "openid", authTime: new Date(now), expiresAt: new Date(now + 60_000) },
    });
    await t.db.refreshToken.create({
      data: { tokenHash: sha256(randomToken()), grantId: randomUUID(), clientId: client.id, userId, scope: "openid", authTime: new Date(now), expiresAt: new Date(now + HOUR), absoluteExpiresAt: new Date(now + 24 * HOUR) },
    });
    await t.db.accessToken.create({ data: { jti: randomToken(16), clientId: client.id, userId, scope: "openid", expiresAt: new Date(now + HOUR) } });
    await t.db.passkey.create({ data: { id: randomToken(16), userId, name: "Laptop", publicKey: "cose-public-key", deviceType: "singleDevice" } });
    await t.db.recoveryCode.create({ data: { userId, codeHash: sha256(randomToken()) } });
    await t.db.emailToken.create({ data: { tokenHash: sha256(randomToken()), purpose: "verify", userId, email, expiresAt: new Date(now + HOUR) } });
    await t.db.authorizationRequest.create({ data: { id: randomToken(24), clientId: client.id, params: "{}", sessionId: session.id, expiresAt: new Date(now + 600_000) } });
    for (const key of [`email:${email}`, `password-change:${userId}`, `device:${device.id}`]) {
      await t.db.loginThrottle.create({ data: { key, failures: 1, firstFailureAt: new Date(now), lastFailureAt: new Date(now) } });
    }
    await t.db.user.update({ where: { id: userId }, data: { totpSecretEnc: "sealed-totp-secret", totpEnabledAt: new Date(now) } });
    return { session, client, device };
  }

  /** Every row of the user, table by table (each relation of User in prisma/models.prisma, and the keyed ones). */
  async function rowsOf(userId: string, email: string, sessionIds: string[], deviceIds: string[]) {
    const w = { where: { userId } };
    return {
      user: await t.db.user.count({ where: { id: userId } }),
      portalSession: await t.db.portalSession.count(w),
      consent: await t.db.consent.count(w),
      authorizationCode: await t.db.authorizationCode.count(w),
      refreshToken: await t.db.refreshToken.count(w),
      accessToken: await t.db.accessToken.count(w),
      trustedDevice: await t.db.trustedDevice.count(w),
      emailToken: await t.db.emailToken.count(w),
      recoveryCode: await t.db.recoveryCode.count(w),
      passkey: await t.db.passkey.count(w),
      ownedClients: await t.db.client.count({ where: { ownerId: userId } }),
      ownedApis: await t.db.api.count({ where: { ownerId: userId } }),
      loginThrottle: await t.db.loginThrottle.count({ where: { key: { in: [`email:${email}`, `password-change:${userId}`, ...deviceIds.map((d) => `device:${d}`)] } } }),
      authorizationRequest: await t.db.authorizationRequest.count({ where: { sessionId: { in: sessionIds } } }),
    };
  }

  it("deletes every row of the user in every table, keeps their clients and APIs ownerless, and touches nobody else", async () => {
    const gone = await newUser("gone");
    const other = await newUser("other");
    const a = await fullAccount(gone.id, gone.email);
    const b = await fullAccount(other.id, other.email);
    const owned = await t.db.client.create({
      data: { clientId: `lk_${randomToken(8)}`, name: "My dev app", ownerId: gone.id, tokenEndpointAuthMethod: "none", redirectUris: "[]", scopes: "openid", grantTypes: "authorization_code" },
    });
    const api = await t.db.api.create({ data: { name: "My API", identifier: `https://api-${randomUUID()}.test`, ownerId: gone.id } });
    const before = await rowsOf(gone.id, gone.email, [a.session.id], [a.device.id]);
    expect(before).toEqual({
      user: 1, portalSession: 1, consent: 1, authorizationCode: 1, refreshToken: 1, accessToken: 1, trustedDevice: 1, emailToken: 1,
      recoveryCode: 1, passkey: 1, ownedClients: 1, ownedApis: 1, loginThrottle: 3, authorizationRequest: 1,
    });
    const otherBefore = await rowsOf(other.id, other.email, [b.session.id], [b.device.id]);

    const report = await accountDeletionStore(t.db).remove(gone.id, { ip: "203.0.113.9" });
    expect(report).toEqual({
      consents: 1, sessions: 1, codes: 1, refreshTokens: 1, accessTokens: 1, devices: 1, passkeys: 1, recoveryCodes: 1, emailTokens: 1,
      totp: true, throttleCounters: 3, pendingRequests: 1, clientsKept: 1, apisKept: 1, auditEventsScrubbed: 0,
    });
    expect(await rowsOf(gone.id, gone.email, [a.session.id], [a.device.id])).toEqual({
      user: 0, portalSession: 0, consent: 0, authorizationCode: 0, refreshToken: 0, accessToken: 0, trustedDevice: 0, emailToken: 0,
      recoveryCode: 0, passkey: 0, ownedClients: 0, ownedApis: 0, loginThrottle: 0, authorizationRequest: 0,
    });
    // The other user keeps everything, and so do the apps.
    expect(await rowsOf(other.id, other.email, [b.session.id], [b.device.id])).toEqual(otherBefore);
    expect(await t.db.client.findUniqueOrThrow({ where: { id: owned.id } })).toMatchObject({ name: "My dev app", ownerId: null });
    expect(await t.db.api.findUniqueOrThrow({ where: { id: api.id } })).toMatchObject({ name: "My API", ownerId: null });
    expect(await t.db.client.count({ where: { id: a.client.id } })).toBe(1);
    // Deleting again finds nothing and writes nothing.
    expect(await accountDeletionStore(t.db).remove(gone.id)).toBeNull();
    expect(await t.db.auditEvent.count({ where: { type: "account.deleted", subjectId: gone.id } })).toBe(1);
  });

  it("writes account.deleted with the user id only, and scrubs the user's addresses from their own events", async () => {
    const u = await newUser("scrub");
    const admin = await newUser("scrub-admin", "admin");
    const other = await newUser("bystander");
    const oldEmail = `old-${randomUUID()}@test.dev`;
    await audit(t.db, { type: "user.updated", actorId: u.id, subjectId: u.id, data: { fields: "email", previousEmail: oldEmail, email: u.email } });
    await audit(t.db, { type: "signin.failed", subjectId: u.id, ip: "198.51.100.1", data: { email: oldEmail.toUpperCase(), device: "new" } });
    await audit(t.db, { type: "signin.succeeded", actorId: u.id, subjectId: u.id, ip: "198.51.100.1", data: { device: "new" } });
    // Done by the user to someone else: that person's address stays.
    await audit(t.db, { type: "user.invited", actorId: u.id, subjectId: other.id, data: { email: other.email } });
    // Someone else's event that merely mentions the address is not the user's: not searched.
    await audit(t.db, { type: "signin.failed", subjectId: null, data: { email: u.email } });

    const report = await accountDeletionStore(t.db).remove(u.id, { ip: "203.0.113.9" });
    expect(report?.auditEventsScrubbed).toBe(2);

    const own = await t.db.auditEvent.findMany({ where: { subjectId: u.id }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
    expect(own.map((e) => [e.type, e.ip, e.data ? JSON.parse(e.data) : null])).toEqual([
      ["user.created", null, { role: "user" }],
      ["user.updated", null, { fields: "email", erased: "previousEmail email" }],
      ["signin.failed", "198.51.100.1", { device: "new", erased: "email" }],
      ["signin.succeeded", "198.51.100.1", { device: "new" }],
      [
        "account.deleted",
        "203.0.113.9",
        {
          consents: 0, sessions: 0, codes: 0, refreshTokens: 0, accessTokens: 0, devices: 0, passkeys: 0, recoveryCodes: 0, emailTokens: 0,
          totp: false, throttleCounters: 0, pendingRequests: 0, clientsKept: 0, apisKept: 0, auditEventsScrubbed: 2, role: "user",
        },
      ],
    ]);
    const deleted = own.at(-1)!;
    expect({ actorId: deleted.actorId, subjectId: deleted.subjectId, clientId: deleted.clientId }).toEqual({ actorId: u.id, subjectId: u.id, clientId: null });
    for (const e of own) {
      expect(e.data ?? "").not.toContain("@");
      expect(e.data ?? "").not.toContain("scrub name");
    }
    expect(JSON.parse((await t.db.auditEvent.findFirstOrThrow({ where: { type: "user.invited", actorId: u.id } })).data!)).toEqual({ email: other.email });
    expect(await t.db.auditEvent.count({ where: { subjectId: null, data: { contains: u.email } } })).toBe(1);
    expect(admin.role).toBe("admin");
  });

  it("refuses to delete the only enabled admin, changing nothing; another enabled admin makes it possible", async () => {
    // Earlier tests of this file left admins behind: start from none.
    await t.db.user.updateMany({ where: { role: "admin" }, data: { role: "user" } });
    const only = await newUser("only-admin", "admin");
    const disabled = await newUser("disabled-admin", "admin");
    await t.db.user.update({ where: { id: disabled.id }, data: { disabled: true } });
    const store = accountDeletionStore(t.db);
    expect((await store.preview(only.id)).lastAdmin).toBe(true);
    await expect(store.remove(only.id)).rejects.toBeInstanceOf(LastAdmin);
    expect(await t.db.user.count({ where: { id: only.id } })).toBe(1);
    expect(await t.db.auditEvent.count({ where: { type: "account.deleted", subjectId: only.id } })).toBe(0);

    const second = await newUser("second-admin", "admin");
    expect((await store.preview(only.id)).lastAdmin).toBe(false);
    expect(await store.remove(only.id)).not.toBeNull();
    expect(await t.db.user.count({ where: { id: only.id } })).toBe(0);
    // Now `second` is the only one left.
    await expect(store.remove(second.id)).rejects.toThrow("You are the only admin. Make someone else an admin before you delete your account.");
  });

  it("previews what deletion removes and keeps", async () => {
    const u = await newUser("preview");
    await fullAccount(u.id, u.email);
    await t.db.client.create({
      data: { clientId: `lk_${randomToken(8)}`, name: "Zeta app", ownerId: u.id, tokenEndpointAuthMethod: "none", redirectUris: "[]", scopes: "openid", grantTypes: "authorization_code" },
    });
    await t.db.api.create({ data: { name: "Alpha API", identifier: `https://api-${randomUUID()}.test`, ownerId: u.id } });
    const p = await accountDeletionStore(t.db).preview(u.id);
    expect({ ...p, ownedClients: p.ownedClients.map((c) => c.name), ownedApis: p.ownedApis.map((a) => a.name) }).toEqual({
      connectedApps: 1, sessions: 1, tokens: 2, totp: true, passkeys: 1, recoveryCodes: 1,
      ownedClients: ["Zeta app"], ownedApis: ["Alpha API"], lastAdmin: false,
    });
  });

  it("exports exactly the profile, apps, live sessions, factors and the last 90 days of the user's events; no secret", async () => {
    const u = await newUser("export");
    const { session, client } = await fullAccount(u.id, u.email);
    const other = await sessionStore(t.db).create({ userId: u.id, maxAgeSeconds: 3600, ip: "198.51.100.8", userAgent: "Other browser", amr: ["pwd", "otp", "mfa"] });
    const ended = await sessionStore(t.db).create({ userId: u.id, maxAgeSeconds: 3600 });
    await sessionStore(t.db).revoke(ended.id);
    await t.db.recoveryCode.create({ data: { userId: u.id, codeHash: sha256(randomToken()), usedAt: new Date() } });
    const now = new Date(Date.now() + 1000);
    await t.db.auditEvent.create({ data: { type: "signin.failed", subjectId: u.id, ip: "192.0.2.1", createdAt: new Date(now.getTime() - 91 * 24 * HOUR) } });
    await t.db.auditEvent.create({ data: { type: "signin.succeeded", actorId: u.id, subjectId: u.id, ip: "192.0.2.2", createdAt: new Date(now.getTime() - 1) } });
    await t.db.auditEvent.create({ data: { type: "user.disabled", actorId: randomUUID(), subjectId: randomUUID(), ip: "192.0.2.3" } });

    const rows = await accountExportStore(t.db).gather(u.id, session.id, now);
    const file = accountExport(rows, now);
    const user = await t.db.user.findUniqueOrThrow({ where: { id: u.id } });
    const s1 = await t.db.portalSession.findUniqueOrThrow({ where: { id: session.id } });
    const s2 = await t.db.portalSession.findUniqueOrThrow({ where: { id: other.id } });
    const consent = await t.db.consent.findFirstOrThrow({ where: { userId: u.id } });
    const passkey = await t.db.passkey.findFirstOrThrow({ where: { userId: u.id } });
    const access = await t.db.accessToken.findFirstOrThrow({ where: { userId: u.id } });
    const created = await t.db.auditEvent.findFirstOrThrow({ where: { type: "user.created", subjectId: u.id } });
    const sessionOut = (s: typeof s1, current: boolean) => ({
      createdAt: s.createdAt.toISOString(), lastSeenAt: s.lastSeenAt.toISOString(), expiresAt: s.expiresAt.toISOString(),
      ip: s.ip, userAgent: s.userAgent, signedInWith: s.amr.split(" "), current,
    });
    expect(file).toEqual({
      exportedAt: now.toISOString(),
      profile: { id: u.id, email: u.email, name: "export name", emailVerified: false, role: "user", createdAt: user.createdAt.toISOString() },
      connectedApps: [
        {
          name: client.name,
          homepage: null,
          scopes: [{ scope: "openid", description: expect.any(String), api: null }],
          grantedAt: consent.updatedAt.toISOString(),
          lastUsedAt: access.createdAt.toISOString(),
        },
      ],
      // Live sessions only, most recently seen first (both were just created: any order of equal times).
      sessions: expect.arrayContaining([sessionOut(s1, true), sessionOut(s2, false)]),
      secondFactors: {
        authenticatorApp: { enabled: true, enabledAt: user.totpEnabledAt!.toISOString() },
        passkeys: [{ name: "Laptop", createdAt: passkey.createdAt.toISOString(), lastUsedAt: null }],
        recoveryCodesLeft: 1,
      },
      securityEvents: {
        since: new Date(now.getTime() - 90 * 24 * HOUR).toISOString(),
        events: [
          { type: "signin.succeeded", at: new Date(now.getTime() - 1).toISOString(), ip: "192.0.2.2" },
          { type: "user.created", at: created.createdAt.toISOString(), ip: null },
        ],
      },
    });
    expect(file.sessions).toHaveLength(2);
    expect(s2.amr).toBe("pwd otp mfa");
    const text = JSON.stringify(file);
    for (const secret of [user.passwordHash, "sealed-totp-secret", "cose-public-key", session.id, other.id, s1.publicSid, access.jti]) {
      expect(text).not.toContain(secret);
    }
    for (const field of ["passwordHash", "totpSecretEnc", "codeHash", "tokenHash", "publicKey", "totpLastStep"]) expect(text).not.toContain(field);

    await accountExportStore(t.db).recordExport(u.id, "192.0.2.9");
    const e = await t.db.auditEvent.findFirstOrThrow({ where: { type: "account.exported", subjectId: u.id } });
    expect({ actorId: e.actorId, ip: e.ip, data: e.data }).toEqual({ actorId: u.id, ip: "192.0.2.9", data: null });
  });

  it(`exports at most ${EXPORT_EVENTS_MAX} security events, the newest`, async () => {
    const u = await newUser("many");
    const now = Date.now();
    await t.db.auditEvent.createMany({
      data: Array.from({ length: EXPORT_EVENTS_MAX + 5 }, (_, i) => ({ type: "token.issued", subjectId: u.id, createdAt: new Date(now - (i + 1) * 1000) })),
    });
    const rows = await accountExportStore(t.db).gather(u.id, "none", new Date(now));
    expect(rows.events).toHaveLength(EXPORT_EVENTS_MAX);
    expect(rows.events[0]!.createdAt.getTime()).toBeGreaterThan(rows.events.at(-1)!.createdAt.getTime());
  });
});
