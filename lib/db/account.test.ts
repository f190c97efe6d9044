// The account store against real SQLite and real PostgreSQL: profile edits, password change
// ending other sessions, connected apps and their revocation, and sessions that only their
// owner can end.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { PROVIDERS, tempDatabase, type TempDatabase } from "@test/db";
import { accountStore, sessionHandle } from "./account";
import { clientStore } from "./clients";
import { sessionStore } from "./sessions";
import { EmailTaken, userStore } from "./users";
import { clientMetadataSchema } from "../oauth/client-metadata";
import { SCOPES, type Scope } from "../oauth/scopes";
import { makeApiInputSchema } from "../oauth/api-metadata";
import { apiStore } from "./apis";

/** The portal's own scopes as the Connected apps page groups them. */
const portal = (...scopes: Scope[]) => ({ api: null, lines: scopes.map((key) => ({ key, text: SCOPES[key] })) });

const HOUR = 3600_000;

describe.each(PROVIDERS)("account store on %s", (provider) => {
  let t: TempDatabase;
  let n = 0;
  beforeAll(async () => {
    t = await tempDatabase(provider);
  });
  afterAll(async () => {
    await t?.drop();
  });

  const newUser = (name: string | null = "Ada") =>
    userStore(t.db).create({ email: `u${++n}-${randomUUID().slice(0, 8)}@test.dev`, passwordHash: "old-hash", name, emailVerified: true });
  const newClient = async (name: string) =>
    (await clientStore(t.db).create(clientMetadataSchema.parse({ client_name: name, redirect_uris: ["https://app.test/cb"] }), null)).id;
  const events = (subjectId: string, type: string) =>
    t.db.auditEvent.findMany({ where: { subjectId, type }, orderBy: { createdAt: "asc" } });

  describe("updateProfile", () => {
    it("changes the name, audits user.updated with the changed fields, and keeps the email verified", async () => {
      const u = await newUser();
      const changed = await accountStore(t.db).updateProfile(u.id, { name: "  Ada Lovelace ", email: u.email }, { ip: "192.0.2.1" });
      expect(changed).toEqual(["name"]);
      const after = await t.db.user.findUniqueOrThrow({ where: { id: u.id } });
      expect({ name: after.name, email: after.email, emailVerified: after.emailVerified }).toEqual({
        name: "Ada Lovelace",
        email: u.email,
        emailVerified: true,
      });
      const ev = await events(u.id, "user.updated");
      expect(ev).toHaveLength(1);
      expect({ actorId: ev[0]!.actorId, ip: ev[0]!.ip, data: JSON.parse(ev[0]!.data!) }).toEqual({
        actorId: u.id,
        ip: "192.0.2.1",
        data: { fields: "name" },
      });
    });

    it("stores a new email lower-cased and no longer verified; nothing changed means no event", async () => {
      const u = await newUser();
      const store = accountStore(t.db);
      const changed = await store.updateProfile(u.id, { name: "Ada", email: ` New-${u.email.toUpperCase()} ` });
      expect(changed).toEqual(["email"]);
      const after = await t.db.user.findUniqueOrThrow({ where: { id: u.id } });
      expect(after.email).toBe(`new-${u.email}`);
      expect(after.emailVerified).toBe(false);
      expect(JSON.parse((await events(u.id, "user.updated"))[0]!.data!)).toEqual({
        fields: "email",
        previousEmail: u.email,
        email: `new-${u.email}`,
      });
      expect(await store.updateProfile(u.id, { name: "Ada", email: `new-${u.email}` })).toEqual([]);
      expect(await events(u.id, "user.updated")).toHaveLength(1);
    });

    it("refuses an email another user has (any case), changing nothing", async () => {
      const a = await newUser();
      const b = await newUser();
      await expect(accountStore(t.db).updateProfile(b.id, { name: "Bob", email: a.email.toUpperCase() })).rejects.toBeInstanceOf(EmailTaken);
      const after = await t.db.user.findUniqueOrThrow({ where: { id: b.id } });
      expect({ name: after.name, email: after.email }).toEqual({ name: b.name, email: b.email });
      expect(await events(b.id, "user.updated")).toHaveLength(0);
    });
  });

  describe("changePassword", () => {
    it("sets the hash, clears mustResetPassword, ends the other sessions only, and audits the count", async () => {
      const u = await newUser();
      const other = await newUser();
      await t.db.user.update({ where: { id: u.id }, data: { mustResetPassword: true } });
      const sessions = sessionStore(t.db);
      const keep = await sessions.create({ userId: u.id, maxAgeSeconds: 3600 });
      const s2 = await sessions.create({ userId: u.id, maxAgeSeconds: 3600 });
      const s3 = await sessions.create({ userId: u.id, maxAgeSeconds: 3600 });
      const otherUsers = await sessions.create({ userId: other.id, maxAgeSeconds: 3600 });

      const r = await accountStore(t.db).changePassword(u.id, keep.id, "new-hash", { ip: "192.0.2.9" });
      expect(r).toEqual({ otherSessionsEnded: 2, revoked: { consents: 0, codes: 0, refreshTokens: 0, accessTokens: 0 } });
      const after = await t.db.user.findUniqueOrThrow({ where: { id: u.id } });
      expect({ passwordHash: after.passwordHash, mustResetPassword: after.mustResetPassword }).toEqual({
        passwordHash: "new-hash",
        mustResetPassword: false,
      });
      expect(await sessions.findWithUser(keep.id)).not.toBeNull();
      expect(await sessions.findWithUser(s2.id)).toBeNull();
      expect(await sessions.findWithUser(s3.id)).toBeNull();
      expect(await sessions.findWithUser(otherUsers.id)).not.toBeNull();
      const ev = await events(u.id, "user.password_changed");
      expect(ev.map((e) => [e.actorId, e.ip, JSON.parse(e.data!)])).toEqual([
        [u.id, "192.0.2.9", { otherSessionsEnded: 2, keptApps: false, consents: 0, codes: 0, refreshTokens: 0, accessTokens: 0, devices: 0 }],
      ]);
      // No audit event carries the hash.
      const all = await t.db.auditEvent.findMany({ where: { subjectId: u.id } });
      expect(all.some((e) => (e.data ?? "").includes("new-hash"))).toBe(false);
    });
  });

  describe("connected apps", () => {
    it("lists active consents with scopes, allowed-at and last use (latest access token or lastUsedAt)", async () => {
      const u = await newUser();
      const other = await newUser();
      const store = accountStore(t.db);
      expect(await store.connectedApps(u.id)).toEqual([]);

      const tokenApp = await newClient("Token App");
      const idleApp = await newClient("Idle App");
      const usedApp = await newClient("Used App");
      const revokedApp = await newClient("Revoked App");
      const t0 = new Date(Date.now() - 10 * HOUR);
      await t.db.consent.create({ data: { userId: u.id, clientId: tokenApp, scopes: "openid email" } });
      await t.db.consent.create({ data: { userId: u.id, clientId: idleApp, scopes: "openid" } });
      await t.db.consent.create({ data: { userId: u.id, clientId: usedApp, scopes: "openid profile", lastUsedAt: new Date(t0.getTime() + 5 * HOUR) } });
      await t.db.consent.create({ data: { userId: u.id, clientId: revokedApp, scopes: "openid", revokedAt: new Date() } });
      await t.db.consent.create({ data: { userId: other.id, clientId: idleApp, scopes: "openid" } });
      const at = (clientId: string, userId: string, createdAt: Date) =>
        t.db.accessToken.create({
          data: { jti: randomUUID(), clientId, userId, scope: "openid", createdAt, expiresAt: new Date(createdAt.getTime() + HOUR) },
        });
      await at(tokenApp, u.id, new Date(t0.getTime() + 1 * HOUR));
      await at(tokenApp, u.id, new Date(t0.getTime() + 3 * HOUR));
      await at(tokenApp, other.id, new Date(t0.getTime() + 4 * HOUR)); // someone else's use
      await at(usedApp, u.id, new Date(t0.getTime() + 2 * HOUR)); // older than lastUsedAt
      await at(idleApp, other.id, new Date(t0.getTime() + 6 * HOUR)); // someone else's use

      const apps = await store.connectedApps(u.id);
      const byName = Object.fromEntries(apps.map((a) => [a.name, a]));
      expect(Object.keys(byName).sort()).toEqual(["Idle App", "Token App", "Used App"]);
      expect(byName["Token App"]).toMatchObject({ clientId: tokenApp, scopes: [portal("openid", "email")], lastUsedAt: new Date(t0.getTime() + 3 * HOUR) });
      expect(byName["Used App"]).toMatchObject({ clientId: usedApp, scopes: [portal("openid", "profile")], lastUsedAt: new Date(t0.getTime() + 5 * HOUR) });
      expect(byName["Idle App"]).toMatchObject({ clientId: idleApp, scopes: [portal("openid")], lastUsedAt: null });
      expect(byName["Idle App"]!.allowedAt).toBeInstanceOf(Date);
    });

    it("shows an API's scopes under the API's name, in its words (two APIs' read apart)", async () => {
      const u = await newUser();
      const appId = await newClient("API App");
      const api = (identifier: string, name: string, description: string) =>
        apiStore(t.db).create(makeApiInputSchema().parse({ name, identifier, scopes: [{ name: "read", description }] }), null);
      await api("https://items.test", "Items API", "Read your items");
      await api("https://notes.test", "Notes API", "Read your notes");
      await t.db.consent.create({ data: { userId: u.id, clientId: appId, scopes: "openid https://items.test\\read https://notes.test\\read" } });
      const [app] = await accountStore(t.db).connectedApps(u.id);
      expect(app!.scopes).toEqual([
        portal("openid"),
        { api: { name: "Items API", identifier: "https://items.test" }, lines: [{ key: "https://items.test\\read", text: "Read your items" }] },
        { api: { name: "Notes API", identifier: "https://notes.test" }, lines: [{ key: "https://notes.test\\read", text: "Read your notes" }] },
      ]);
    });

    it("revoking one app ends its consent, codes and tokens for this user only, audited with the counts", async () => {
      const u = await newUser();
      const other = await newUser();
      const app = await newClient("Revocable");
      const keptApp = await newClient("Kept");
      const future = new Date(Date.now() + HOUR);
      for (const [userId, clientId] of [[u.id, app], [u.id, keptApp], [other.id, app]] as const) {
        await t.db.consent.create({ data: { userId, clientId, scopes: "openid offline_access" } });
        const grantId = randomUUID();
        await t.db.authorizationCode.create({
          data: { codeHash: randomUUID(), grantId, clientId, userId, redirectUri: "https://app.test/cb", scope: "openid", authTime: new Date(), expiresAt: future },
        });
        await t.db.refreshToken.create({
          data: { tokenHash: randomUUID(), grantId, clientId, userId, scope: "openid offline_access", authTime: new Date(), expiresAt: future, absoluteExpiresAt: future },
        });
        for (let i = 0; i < 2; i++) {
          await t.db.accessToken.create({ data: { jti: randomUUID(), grantId, clientId, userId, scope: "openid", expiresAt: future } });
        }
      }

      const store = accountStore(t.db);
      const counts = await store.revokeConnectedApp(u.id, app, { ip: "192.0.2.5" });
      expect(counts).toEqual({ consents: 1, codes: 1, refreshTokens: 1, accessTokens: 2 });
      expect((await store.connectedApps(u.id)).map((a) => a.name)).toEqual(["Kept"]);

      const live = (userId: string, clientId: string) =>
        Promise.all([
          t.db.consent.count({ where: { userId, clientId, revokedAt: null } }),
          t.db.authorizationCode.count({ where: { userId, clientId, expiresAt: { gt: new Date() } } }),
          t.db.refreshToken.count({ where: { userId, clientId, revokedAt: null } }),
          t.db.accessToken.count({ where: { userId, clientId, revokedAt: null } }),
        ]);
      expect(await live(u.id, app)).toEqual([0, 0, 0, 0]);
      expect(await live(u.id, keptApp)).toEqual([1, 1, 1, 2]);
      expect(await live(other.id, app)).toEqual([1, 1, 1, 2]);

      const ev = await events(u.id, "consent.revoked");
      expect(ev.map((e) => [e.actorId, e.clientId, e.ip, JSON.parse(e.data!)])).toEqual([
        [u.id, app, "192.0.2.5", { consents: 1, codes: 1, refreshTokens: 1, accessTokens: 2 }],
      ]);

      // Again, or for a client the user never allowed: nothing happens, nothing is audited.
      expect(await store.revokeConnectedApp(u.id, app)).toBeNull();
      expect(await store.revokeConnectedApp(u.id, "no-such-client")).toBeNull();
      expect(await events(u.id, "consent.revoked")).toHaveLength(1);
    });
  });

  describe("sessions", () => {
    it("lists live sessions by handle (never the id), most recently seen first", async () => {
      const u = await newUser();
      const sessions = sessionStore(t.db);
      const older = await sessions.create({ userId: u.id, maxAgeSeconds: 3600, ip: "192.0.2.1", userAgent: "UA-1" });
      const newer = await sessions.create({ userId: u.id, maxAgeSeconds: 3600, ip: "192.0.2.2", userAgent: "UA-2" });
      await t.db.portalSession.update({ where: { id: older.id }, data: { lastSeenAt: new Date(Date.now() - HOUR) } });
      const revoked = await sessions.create({ userId: u.id, maxAgeSeconds: 3600 });
      await sessions.revoke(revoked.id);
      const expired = await sessions.create({ userId: u.id, maxAgeSeconds: 3600 });
      await t.db.portalSession.update({ where: { id: expired.id }, data: { expiresAt: new Date(Date.now() - 1000) } });

      const list = await accountStore(t.db).sessions(u.id);
      expect(list.map((s) => [s.handle, s.ip, s.userAgent])).toEqual([
        [sessionHandle(newer.id), "192.0.2.2", "UA-2"],
        [sessionHandle(older.id), "192.0.2.1", "UA-1"],
      ]);
      expect(JSON.stringify(list)).not.toContain(newer.id);
      expect(sessionHandle(newer.id)).not.toBe(sessionHandle(older.id));
    });

    it("a user can end their own session, but replaying another user's session handle changes nothing", async () => {
      const alice = await newUser();
      const mallory = await newUser();
      const sessions = sessionStore(t.db);
      const aliceSession = await sessions.create({ userId: alice.id, maxAgeSeconds: 3600 });
      const mallorySession = await sessions.create({ userId: mallory.id, maxAgeSeconds: 3600 });
      const store = accountStore(t.db);

      expect(await store.revokeSession(mallory.id, sessionHandle(aliceSession.id))).toBe(false);
      expect(await store.revokeSession(mallory.id, aliceSession.id)).toBe(false); // the raw id is no handle either
      expect(await sessions.findWithUser(aliceSession.id)).not.toBeNull();
      expect(await events(mallory.id, "session.revoked")).toHaveLength(0);
      expect(await events(alice.id, "session.revoked")).toHaveLength(0);

      expect(await store.revokeSession(alice.id, sessionHandle(aliceSession.id), { ip: "192.0.2.7" })).toBe(true);
      expect(await sessions.findWithUser(aliceSession.id)).toBeNull();
      expect(await sessions.findWithUser(mallorySession.id)).not.toBeNull();
      const ev = await events(alice.id, "session.revoked");
      expect(ev.map((e) => [e.actorId, e.ip, JSON.parse(e.data!)])).toEqual([[alice.id, "192.0.2.7", { sessions: 1 }]]);
      // Twice is a no-op.
      expect(await store.revokeSession(alice.id, sessionHandle(aliceSession.id))).toBe(false);
      expect(await events(alice.id, "session.revoked")).toHaveLength(1);
    });

    it("signing out all others keeps the given session and the other users' sessions", async () => {
      const u = await newUser();
      const other = await newUser();
      const sessions = sessionStore(t.db);
      const keep = await sessions.create({ userId: u.id, maxAgeSeconds: 3600 });
      const a = await sessions.create({ userId: u.id, maxAgeSeconds: 3600 });
      const b = await sessions.create({ userId: u.id, maxAgeSeconds: 3600 });
      const others = await sessions.create({ userId: other.id, maxAgeSeconds: 3600 });
      const store = accountStore(t.db);

      expect(await store.revokeOtherSessions(u.id, keep.id)).toBe(2);
      expect(await sessions.findWithUser(keep.id)).not.toBeNull();
      expect(await sessions.findWithUser(a.id)).toBeNull();
      expect(await sessions.findWithUser(b.id)).toBeNull();
      expect(await sessions.findWithUser(others.id)).not.toBeNull();
      expect((await events(u.id, "session.revoked")).map((e) => JSON.parse(e.data!))).toEqual([{ sessions: 2, scope: "others" }]);
      expect(await store.revokeOtherSessions(u.id, keep.id)).toBe(0);
      expect(await events(u.id, "session.revoked")).toHaveLength(1);
    });
  });
});
