// The admin console's data layer against real SQLite and real PostgreSQL: keyset pages, every
// change with its audit event in the same transaction, the refusals (self-disable, self-demote,
// last active key), and a suspended client refused at the token endpoint at once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROVIDERS, tempDatabase, type TempDatabase } from "@test/db";
import { userStore } from "../users";
import { sessionStore } from "../sessions";
import { clientStore } from "../clients";
import { keyStore } from "../keys";
import { clientMetadataSchema } from "../../oauth/client-metadata";
import { randomToken, sha256 } from "../../crypto/tokens";
import { decodeCursor } from "../../admin/cursor";
import { disableUser, enableUser, forcePasswordReset, listUsers, setUserRole, unlockUser, userDetail } from "./users";
import { deviceStore } from "../devices";
import { throttleKeys, throttleStore } from "../throttle";
import { deleteClient, listClients, setClientSuspended, setClientVerified } from "./clients";
import { apiStore } from "../apis";
import { makeApiInputSchema } from "../../oauth/api-metadata";
import { qualifyScope } from "../../oauth/resources";
import { listGrants, previewRevokeAllForClient, revokeAllForClient, revokeGrant } from "./grants";
import { listAudit } from "./audit-log";
import { listKeys, retireKey, rotateKeys } from "./keys";
import { AdminRefusal } from "./errors";
import { instance, ISSUER, SECRET } from "../../../test/http-instance";
import { makeToken } from "../../http/endpoints/token";
import { webHandler } from "../../http/web-handler";
import type { Db } from "../client";

const REDIRECT = "https://app.test/cb";

async function newClient(db: Db, name: string) {
  const meta = clientMetadataSchema.parse({
    client_name: name,
    redirect_uris: [REDIRECT],
    grant_types: ["authorization_code", "refresh_token", "client_credentials"],
  });
  return clientStore(db).create(meta, null);
}

/** A consent with one live refresh token, one live access token and one unredeemed code. */
async function grant(db: Db, userId: string, clientRowId: string) {
  const now = Date.now();
  const grantId = crypto.randomUUID();
  await db.consent.create({ data: { userId, clientId: clientRowId, scopes: "openid" } });
  await db.refreshToken.create({
    data: {
      tokenHash: sha256(randomToken()),
      grantId,
      clientId: clientRowId,
      userId,
      scope: "openid",
      authTime: new Date(now),
      expiresAt: new Date(now + 3_600_000),
      absoluteExpiresAt: new Date(now + 86_400_000),
    },
  });
  await db.accessToken.create({
    data: { jti: randomToken(16), grantId, clientId: clientRowId, userId, scope: "openid", expiresAt: new Date(now + 600_000) },
  });
  await db.authorizationCode.create({
    data: {
      codeHash: sha256(randomToken()),
      grantId,
      clientId: clientRowId,
      userId,
      redirectUri: REDIRECT,
      scope: "openid",
      authTime: new Date(now),
      expiresAt: new Date(now + 60_000),
    },
  });
}

describe.each(PROVIDERS)("admin console data on %s", (provider) => {
  let t: TempDatabase;
  let adminId: string;
  const actor = () => ({ id: adminId, ip: "203.0.113.9" });

  beforeAll(async () => {
    t = await tempDatabase(provider);
    adminId = (await userStore(t.db).create({ email: "root@test.dev", passwordHash: "h", role: "admin" })).id;
  });
  afterAll(async () => {
    await t?.drop();
  });

  it("pages users newest first by keyset: every user once, in order, and the last page has no cursor", async () => {
    const base = Date.UTC(2026, 0, 1);
    // Two users share a createdAt: the id breaks the tie, so none is skipped or repeated.
    await t.db.user.createMany({
      data: Array.from({ length: 7 }, (_, i) => ({
        id: `page-user-${i}`,
        email: `page${i}@list.test`,
        name: i === 3 ? "Grace Hopper" : null,
        passwordHash: "h",
        createdAt: new Date(base + Math.floor(i / 2) * 1000),
      })),
    });
    const seen: string[] = [];
    let cursor = null;
    for (let n = 0; n < 10; n++) {
      const page = await listUsers(t.db, { q: "@list.test", cursor, limit: 3 });
      seen.push(...page.rows.map((r) => r.id));
      if (!page.next) break;
      cursor = decodeCursor(page.next);
    }
    expect(seen).toEqual(["page-user-6", "page-user-5", "page-user-4", "page-user-3", "page-user-2", "page-user-1", "page-user-0"]);
    expect((await listUsers(t.db, { q: "Hopper", cursor: null, limit: 10 })).rows.map((r) => r.id)).toEqual(["page-user-3"]);
    expect((await listUsers(t.db, { q: "Grace", cursor: null, limit: 10 })).rows.map((r) => r.id)).toEqual(["page-user-3"]);
    expect((await listUsers(t.db, { q: "PAGE5@", cursor: null, limit: 10 })).rows.map((r) => r.id)).toEqual(["page-user-5"]);
  });

  it("disabling a user ends their sessions and revokes all their grants in one transaction, audited with counts", async () => {
    const u = await userStore(t.db).create({ email: "victim@test.dev", passwordHash: "h" });
    const s = await sessionStore(t.db).create({ userId: u.id, maxAgeSeconds: 3600 });
    const c = await newClient(t.db, "Disable app");
    await grant(t.db, u.id, c.id);
    const detail = await userDetail(t.db, u.id);
    expect(detail?.consents.map((x) => x.client.clientId)).toEqual([c.client_id]);
    expect(detail?.sessions).toHaveLength(1);
    expect(JSON.stringify(detail)).not.toContain(s.id);

    const report = await disableUser(t.db, actor(), u.id);
    expect(report).toEqual({ sessions: 1, consents: 1, codes: 1, refreshTokens: 1, accessTokens: 1 });
    expect(await sessionStore(t.db).findWithUser(s.id)).toBeNull();
    expect(await t.db.accessToken.count({ where: { userId: u.id, revokedAt: null } })).toBe(0);
    expect(await t.db.refreshToken.count({ where: { userId: u.id, revokedAt: null } })).toBe(0);
    const ev = await t.db.auditEvent.findMany({ where: { type: "user.disabled", subjectId: u.id } });
    expect(ev).toHaveLength(1);
    expect(ev[0]).toMatchObject({ actorId: adminId, ip: "203.0.113.9" });
    expect(JSON.parse(ev[0]!.data!)).toEqual(report);

    await enableUser(t.db, actor(), u.id);
    expect((await t.db.user.findUniqueOrThrow({ where: { id: u.id } })).disabled).toBe(false);
    expect(await t.db.auditEvent.count({ where: { type: "user.enabled", subjectId: u.id } })).toBe(1);
    // Re-enabling brings back neither the session nor the grant.
    expect(await sessionStore(t.db).findWithUser(s.id)).toBeNull();
    expect(await t.db.consent.count({ where: { userId: u.id, revokedAt: null } })).toBe(0);
  });

  it("an admin cannot disable or demote themselves, and nothing is written", async () => {
    const before = await t.db.auditEvent.count();
    await expect(disableUser(t.db, actor(), adminId)).rejects.toThrow(new AdminRefusal("You cannot disable your own account."));
    await expect(setUserRole(t.db, actor(), adminId, "user")).rejects.toThrow(new AdminRefusal("You cannot change your own role."));
    const me = await t.db.user.findUniqueOrThrow({ where: { id: adminId } });
    expect({ role: me.role, disabled: me.disabled }).toEqual({ role: "admin", disabled: false });
    expect(await t.db.auditEvent.count()).toBe(before);
  });

  it("never leaves no admin: two admins demoting each other, at once or one after the other", async () => {
    const users = userStore(t.db);
    // Make these two the only enabled admins.
    await t.db.user.updateMany({ where: { role: "admin" }, data: { role: "user" } });
    const a = await users.create({ email: "admin-a@test.dev", passwordHash: "h", role: "admin" });
    const b = await users.create({ email: "admin-b@test.dev", passwordHash: "h", role: "admin" });
    const results = await Promise.allSettled([
      setUserRole(t.db, { id: a.id }, b.id, "user"),
      setUserRole(t.db, { id: b.id }, a.id, "user"),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    const refusal = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(refusal.reason).toBeInstanceOf(AdminRefusal);
    expect(await t.db.user.count({ where: { role: "admin", disabled: false } })).toBe(1);
    // The one left cannot be disabled by the one demoted either.
    const left = (await t.db.user.findFirstOrThrow({ where: { role: "admin" } })).id;
    const demoted = left === a.id ? b.id : a.id;
    await expect(disableUser(t.db, { id: demoted }, left)).rejects.toThrow(
      new AdminRefusal("This would leave no admin: make someone else an admin first."),
    );
    expect(await t.db.user.count({ where: { role: "admin", disabled: false } })).toBe(1);
    await t.db.user.update({ where: { id: adminId }, data: { role: "admin" } });
  });

  it("changes a role (audited from/to) and forces a password reset (sessions end, audited)", async () => {
    const u = await userStore(t.db).create({ email: "dev@test.dev", passwordHash: "h" });
    await setUserRole(t.db, actor(), u.id, "developer");
    expect((await t.db.user.findUniqueOrThrow({ where: { id: u.id } })).role).toBe("developer");
    const rc = await t.db.auditEvent.findFirstOrThrow({ where: { type: "user.role_changed", subjectId: u.id } });
    expect(JSON.parse(rc.data!)).toEqual({ from: "user", to: "developer" });

    const s = await sessionStore(t.db).create({ userId: u.id, maxAgeSeconds: 3600 });
    const c = await newClient(t.db, "Reset App");
    await grant(t.db, u.id, c.id);
    await deviceStore(t.db).issue(u.id);
    const report = { sessions: 1, consents: 1, codes: 1, refreshTokens: 1, accessTokens: 1, devices: 1 };
    expect(await forcePasswordReset(t.db, actor(), u.id)).toEqual(report);
    expect((await t.db.user.findUniqueOrThrow({ where: { id: u.id } })).mustResetPassword).toBe(true);
    expect(await sessionStore(t.db).findWithUser(s.id)).toBeNull();
    // A forced reset signs the user's apps out too.
    expect(await t.db.refreshToken.count({ where: { userId: u.id, revokedAt: null } })).toBe(0);
    expect(await t.db.accessToken.count({ where: { userId: u.id, revokedAt: null } })).toBe(0);
    expect(await t.db.consent.count({ where: { userId: u.id, revokedAt: null } })).toBe(0);
    const forced = await t.db.auditEvent.findMany({ where: { type: "user.password_reset_forced", subjectId: u.id } });
    expect(forced.map((e) => JSON.parse(e.data!))).toEqual([report]);
    await expect(setUserRole(t.db, actor(), "no-such-user", "admin")).rejects.toBeInstanceOf(AdminRefusal);
  });

  it("unlocks a user: every counter of theirs (new devices, each trusted device, password re-entry) cleared, audited in the same transaction", async () => {
    const u = await userStore(t.db).create({ email: "locked@test.dev", passwordHash: "h" });
    const device = await deviceStore(t.db).issue(u.id);
    const th = throttleStore(t.db, { slowAfter: 3, backoffSeconds: 1, lockAfter: 2, ipLockAfter: 100, lockSeconds: 600, windowSeconds: 900 });
    for (let i = 0; i < 2; i++) await th.count(throttleKeys("locked@test.dev", "192.0.2.77"));
    await th.count([{ key: `device:${device.id}`, kind: "account" }]);
    await th.count([{ key: `password-change:${u.id}`, kind: "account" }]);
    const before = (await userDetail(t.db, u.id))!.signIn;
    expect(before.failures).toBe(4);
    expect(before.lockedUntil).toBeInstanceOf(Date);

    expect(await unlockUser(t.db, actor(), u.id)).toEqual({ counters: 3 });
    expect((await userDetail(t.db, u.id))!.signIn).toEqual({ lockedUntil: null, failures: 0 });
    // The address's counter is not the user's: it stays.
    expect((await t.db.loginThrottle.findUnique({ where: { key: "ip:192.0.2.77" } }))?.failures).toBe(2);
    const e = await t.db.auditEvent.findFirstOrThrow({ where: { type: "user.unlocked", subjectId: u.id } });
    expect([e.actorId, e.ip, JSON.parse(e.data!)]).toEqual([adminId, "203.0.113.9", { counters: 3 }]);
    await expect(unlockUser(t.db, actor(), "no-such-user")).rejects.toThrow(new AdminRefusal("No such user."));
  });

  it("lists clients with type and tokens of the last 24 h; suspends, resumes and deletes with the typed name", async () => {
    const u = await userStore(t.db).create({ email: "owner@test.dev", passwordHash: "h" });
    const c = await newClient(t.db, "Listed app");
    await t.db.client.update({ where: { id: c.id }, data: { ownerId: u.id } });
    await grant(t.db, u.id, c.id);
    await t.db.accessToken.create({
      data: { jti: randomToken(16), clientId: c.id, scope: "", expiresAt: new Date(), createdAt: new Date(Date.now() - 2 * 86_400_000) },
    });
    const row = (await listClients(t.db, { q: "Listed", cursor: null, limit: 10 })).rows;
    expect(row).toHaveLength(1);
    expect(row[0]).toMatchObject({ clientId: c.client_id, type: "confidential", tokens24h: 1, owner: { email: "owner@test.dev" } });

    await setClientSuspended(t.db, actor(), c.id, true);
    await setClientSuspended(t.db, actor(), c.id, true); // no change, no second event
    expect((await t.db.client.findUniqueOrThrow({ where: { id: c.id } })).suspended).toBe(true);
    await setClientSuspended(t.db, actor(), c.id, false);
    const types = (await t.db.auditEvent.findMany({ where: { clientId: c.id }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] })).map((e) => e.type);
    expect(types).toEqual(["client.created", "client.suspended", "client.resumed"]);

    // Verified: set and cleared by an admin, audited once per change; listed.
    expect((await listClients(t.db, { q: "Listed", cursor: null, limit: 10 })).rows[0]!.verified).toBe(false);
    await setClientVerified(t.db, actor(), c.id, true);
    await setClientVerified(t.db, actor(), c.id, true); // no change, no second event
    expect((await listClients(t.db, { q: "Listed", cursor: null, limit: 10 })).rows[0]!.verified).toBe(true);
    await setClientVerified(t.db, actor(), c.id, false);
    expect((await t.db.client.findUniqueOrThrow({ where: { id: c.id } })).verified).toBe(false);
    const marks = await t.db.auditEvent.findMany({ where: { clientId: c.id, type: { in: ["client.verified", "client.unverified"] } }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
    expect(marks.map((e) => [e.type, e.actorId, JSON.parse(e.data!)])).toEqual([
      ["client.verified", actor().id, { client_id: c.client_id }],
      ["client.unverified", actor().id, { client_id: c.client_id }],
    ]);
    await expect(setClientVerified(t.db, actor(), "no-such-client", true)).rejects.toBeInstanceOf(AdminRefusal);

    await expect(deleteClient(t.db, actor(), c.id, "listed app")).rejects.toBeInstanceOf(AdminRefusal);
    expect(await t.db.client.count({ where: { id: c.id } })).toBe(1);
    // The expired token of two days ago is revoked too (revokeGrants marks every unrevoked row).
    expect(await deleteClient(t.db, actor(), c.id, "Listed app")).toEqual({ consents: 1, codes: 1, refreshTokens: 1, accessTokens: 2 });
    expect(await t.db.client.count({ where: { id: c.id } })).toBe(0);
    expect(await t.db.consent.count({ where: { clientId: c.id } })).toBe(0);
    expect(await t.db.accessToken.count({ where: { clientId: c.id } })).toBe(0);
    const del = await t.db.auditEvent.findFirstOrThrow({ where: { type: "client.deleted", clientId: c.id } });
    expect(JSON.parse(del.data!)).toEqual({ client_id: c.client_id, name: "Listed app", consents: 1, codes: 1, refreshTokens: 1, accessTokens: 2 });
  });

  it("an API's own credentials client is not in the clients list and cannot be deleted as a client", async () => {
    const created = await apiStore(t.db).create(makeApiInputSchema().parse({ name: "Listed API", identifier: "https://listed-api.test" }), null);
    expect((await listClients(t.db, { q: "Listed API", cursor: null, limit: 10 })).rows).toEqual([]);
    const id = created.api.credentials!.id;
    await expect(deleteClient(t.db, actor(), id, "Listed API")).rejects.toThrow("These are an API's own credentials: delete the API instead.");
    expect(await t.db.client.count({ where: { id } })).toBe(1);
  });

  it("shows a grant's API scopes under the API's name, never qualified, in the grants list and the user's page", async () => {
    await apiStore(t.db).create(makeApiInputSchema().parse({ name: "Readable API", identifier: "https://readable-api.test", scopes: [{ name: "read:items", description: "Read" }] }), null);
    const u = await userStore(t.db).create({ email: "readable@test.dev", passwordHash: "h" });
    const c = await newClient(t.db, "Readable app");
    await t.db.consent.create({ data: { userId: u.id, clientId: c.id, scopes: `openid ${qualifyScope("https://readable-api.test", "read:items")} ${qualifyScope("https://gone-api.test", "x")}` } });
    const row = (await listGrants(t.db, { clientId: c.client_id, cursor: null, limit: 10 })).rows[0];
    expect(row?.scopes).toBe("openid · Readable API: read:items · https://gone-api.test: x");
    expect((await userDetail(t.db, u.id))?.consents.map((x) => x.scopes)).toEqual([row?.scopes]);
  });

  it("lists active grants with live token counts, filters by user and client, revokes one and all of a client", async () => {
    const a = await userStore(t.db).create({ email: "ga@test.dev", passwordHash: "h" });
    const b = await userStore(t.db).create({ email: "gb@test.dev", passwordHash: "h" });
    const c = await newClient(t.db, "Grant app");
    const other = await newClient(t.db, "Other app");
    await grant(t.db, a.id, c.id);
    await grant(t.db, b.id, c.id);
    await grant(t.db, a.id, other.id);

    const forClient = await listGrants(t.db, { clientId: c.client_id, cursor: null, limit: 10 });
    expect(forClient.rows.map((r) => r.user.email).sort()).toEqual(["ga@test.dev", "gb@test.dev"]);
    expect(forClient.rows.every((r) => r.liveAccessTokens === 1 && r.liveRefreshTokens === 1)).toBe(true);
    const forA = await listGrants(t.db, { userEmail: "ga@test.dev", cursor: null, limit: 10 });
    expect(forA.rows.map((r) => r.client.clientId).sort()).toEqual([c.client_id, other.client_id].sort());

    expect(await revokeGrant(t.db, actor(), a.id, other.id)).toEqual({ consents: 1, codes: 1, refreshTokens: 1, accessTokens: 1 });
    expect((await listGrants(t.db, { userEmail: "ga@test.dev", cursor: null, limit: 10 })).rows.map((r) => r.client.clientId)).toEqual([c.client_id]);

    const preview = await previewRevokeAllForClient(t.db, c.client_id);
    expect(preview?.counts).toEqual({ consents: 2, codes: 2, refreshTokens: 2, accessTokens: 2 });
    expect(await previewRevokeAllForClient(t.db, "lk_nope")).toBeNull();
    expect(await revokeAllForClient(t.db, actor(), c.id)).toEqual({ consents: 2, codes: 2, refreshTokens: 2, accessTokens: 2 });
    expect((await previewRevokeAllForClient(t.db, c.client_id))?.counts).toEqual({ consents: 0, codes: 0, refreshTokens: 0, accessTokens: 0 });
    const ev = await t.db.auditEvent.findFirstOrThrow({ where: { type: "grants.revoked_all", clientId: c.id } });
    expect(JSON.parse(ev.data!)).toEqual({ client_id: c.client_id, consents: 2, codes: 2, refreshTokens: 2, accessTokens: 2 });
    expect(ev.actorId).toBe(adminId);
  });

  it("filters the audit log by actor, subject, client, type and time, newest first with keyset pages", async () => {
    const base = new Date(Date.UTC(2020, 5, 1));
    await t.db.auditEvent.createMany({
      data: Array.from({ length: 6 }, (_, i) => ({
        id: `audit-${i}`,
        type: i % 2 ? "x.odd" : "x.even",
        actorId: "actor-1",
        subjectId: i < 3 ? "subj-a" : "subj-b",
        clientId: i === 5 ? "client-row-1" : null,
        createdAt: new Date(base.getTime() + i * 60_000),
      })),
    });
    const ids = async (q: Partial<Parameters<typeof listAudit>[1]>) =>
      (await listAudit(t.db, { cursor: null, limit: 50, ...q })).rows.map((r) => r.id);
    expect(await ids({ actorId: "actor-1" })).toEqual(["audit-5", "audit-4", "audit-3", "audit-2", "audit-1", "audit-0"]);
    expect(await ids({ actorId: "actor-1", type: "x.odd" })).toEqual(["audit-5", "audit-3", "audit-1"]);
    expect(await ids({ subjectId: "subj-a" })).toEqual(["audit-2", "audit-1", "audit-0"]);
    expect(await ids({ clientRowId: "client-row-1" })).toEqual(["audit-5"]);
    expect(
      await ids({ actorId: "actor-1", from: new Date(base.getTime() + 60_000), to: new Date(base.getTime() + 180_000) }),
    ).toEqual(["audit-3", "audit-2", "audit-1"]);
    const p1 = await listAudit(t.db, { actorId: "actor-1", cursor: null, limit: 4 });
    expect(p1.rows.map((r) => r.id)).toEqual(["audit-5", "audit-4", "audit-3", "audit-2"]);
    const p2 = await listAudit(t.db, { actorId: "actor-1", cursor: decodeCursor(p1.next), limit: 4 });
    expect(p2.rows.map((r) => r.id)).toEqual(["audit-1", "audit-0"]);
    expect(p2.next).toBeNull();
  });

  it("rotates and retires keys but never retires the last active key of an algorithm", async () => {
    const [es] = await rotateKeys(t.db, SECRET, adminId, ["ES256"]);
    const [es2] = await rotateKeys(t.db, SECRET, adminId, ["ES256"]);
    const keys = await listKeys(t.db);
    expect(keys.find((k) => k.kid === es!.kid)?.state).toBe("retired");
    expect(keys.find((k) => k.kid === es2!.kid)?.state).toBe("active");
    expect(keys.filter((k) => k.alg === "ES256" && k.state === "active")).toHaveLength(1);
    // Rotation keeps the retired key published (it is within the retention window).
    const published = await keyStore(t.db).published(new Date(Date.now() - 3_600_000));
    expect(published.map((k) => k.kid)).toContain(es!.kid);

    expect(await retireKey(t.db, adminId, es2!.kid)).toEqual({ ok: false, reason: "last_active" });
    expect(await retireKey(t.db, adminId, es!.kid)).toEqual({ ok: false, reason: "already_retired" });
    expect(await retireKey(t.db, adminId, "nope")).toEqual({ ok: false, reason: "not_found" });
    expect((await t.db.signingKey.findUniqueOrThrow({ where: { kid: es2!.kid } })).state).toBe("active");
    expect(await t.db.auditEvent.count({ where: { type: "key.retired" } })).toBe(0);

    // With a second active ES256 key (e.g. added by another instance), one may be retired.
    const { generateSigningKey } = await import("../../keys/generate");
    const extra = await generateSigningKey("ES256", SECRET);
    await t.db.signingKey.create({ data: { ...extra, state: "active" } });
    const r = await retireKey(t.db, adminId, es2!.kid);
    expect(r.ok).toBe(true);
    expect(await t.db.signingKey.count({ where: { alg: "ES256", state: "active" } })).toBe(1);
    const ev = await t.db.auditEvent.findFirstOrThrow({ where: { type: "key.retired" } });
    expect(JSON.parse(ev.data!)).toEqual({ kid: es2!.kid, alg: "ES256" });
    expect(await t.db.auditEvent.count({ where: { type: "key.rotated", actorId: adminId } })).toBe(2);
  });

  it("two admins retiring the two active keys of an algorithm at once: one wins, one key stays active", async () => {
    const { generateSigningKey } = await import("../../keys/generate");
    await t.db.signingKey.updateMany({ where: { alg: "RS256" }, data: { state: "retired", retiredAt: new Date() } });
    const a = await generateSigningKey("RS256", SECRET);
    const b = await generateSigningKey("RS256", SECRET);
    await t.db.signingKey.createMany({ data: [{ ...a, state: "active" }, { ...b, state: "active" }] });
    const results = await Promise.all([retireKey(t.db, adminId, a.kid), retireKey(t.db, adminId, b.kid)]);
    expect(results.map((r) => r.ok).sort()).toEqual([false, true]);
    expect(results.find((r) => !r.ok)).toEqual({ ok: false, reason: "last_active" });
    expect(await t.db.signingKey.count({ where: { alg: "RS256", state: "active" } })).toBe(1);
  });
});

describe.each(PROVIDERS)("a suspended client at the token endpoint on %s", (provider) => {
  let t: TempDatabase;
  beforeAll(async () => {
    t = await tempDatabase(provider);
  });
  afterAll(async () => {
    await t?.drop();
  });

  const cc = (c: { client_id: string; client_secret?: string }) =>
    new Request(`${ISSUER}/oauth/token`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        authorization: `Basic ${Buffer.from(`${c.client_id}:${c.client_secret}`).toString("base64")}`,
      },
      body: new URLSearchParams({ grant_type: "client_credentials" }),
    });

  it("gets 401 invalid_client at once after suspension, and tokens again after resuming", async () => {
    const admin = await userStore(t.db).create({ email: "a@test.dev", passwordHash: "h", role: "admin" });
    const deps = instance(t);
    const token = webHandler(makeToken(() => deps));
    const c = await newClient(t.db, "Suspend me");
    expect((await token(cc(c))).status).toBe(200);

    await setClientSuspended(t.db, { id: admin.id }, c.id, true);
    const refused = await token(cc(c));
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { error: string }).error).toBe("invalid_client");

    await setClientSuspended(t.db, { id: admin.id }, c.id, false);
    expect((await token(cc(c))).status).toBe(200);
  });
});
