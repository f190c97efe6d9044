// Registration storage against real SQLite and real PostgreSQL: initial access tokens (hashed,
// shown once, revocable, counted), and the rules the endpoints rely on.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROVIDERS, tempDatabase, type TempDatabase } from "@test/db";
import { userStore } from "./users";
import { InitialAccessTokenRejected, initialAccessTokenState, registrationStore } from "./registration";
import { sha256 } from "../crypto/tokens";
import { clientMetadataSchema } from "../oauth/client-metadata";

const HOUR = 3600_000;
const svc = clientMetadataSchema.parse({ client_name: "Svc", grant_types: ["client_credentials"] });

describe("initialAccessTokenState", () => {
  const now = new Date("2026-11-22T12:00:00Z");
  it("revoked wins; expired at or after expiresAt; active before", () => {
    expect(initialAccessTokenState({ expiresAt: new Date(now.getTime() + 1), revokedAt: null }, now)).toBe("active");
    expect(initialAccessTokenState({ expiresAt: now, revokedAt: null }, now)).toBe("expired");
    expect(initialAccessTokenState({ expiresAt: new Date(now.getTime() + HOUR), revokedAt: now }, now)).toBe("revoked");
  });
});

describe.each(PROVIDERS)("registration store on %s", (provider) => {
  let t: TempDatabase;
  let adminId: string;
  beforeAll(async () => {
    t = await tempDatabase(provider);
    adminId = (await userStore(t.db).create({ email: "admin@test.dev", passwordHash: "x", role: "admin" })).id;
  });
  afterAll(async () => {
    await t?.drop();
  });

  it("creates a token: returned once, stored as SHA-256 + prefix, audited without the token", async () => {
    const store = registrationStore(t.db);
    const expiresAt = new Date(Date.now() + HOUR);
    const created = await store.createInitialAccessToken({ label: "Partner A", expiresAt, createdById: adminId });
    expect(created.token).toMatch(/^lkiat_[A-Za-z0-9_-]{43}$/);
    expect(created.prefix).toBe(created.token.slice(0, 12));
    const row = await t.db.initialAccessToken.findUniqueOrThrow({ where: { id: created.id } });
    expect(row).toMatchObject({ tokenHash: sha256(created.token), prefix: created.prefix, label: "Partner A", createdById: adminId, useCount: 0, revokedAt: null, lastUsedAt: null });
    expect(row.expiresAt.getTime()).toBe(expiresAt.getTime());
    expect(await t.db.initialAccessToken.count({ where: { tokenHash: created.token } })).toBe(0);
    const event = await t.db.auditEvent.findFirstOrThrow({ where: { type: "registration_token.created", data: { contains: created.id } } });
    expect(event.actorId).toBe(adminId);
    expect(JSON.parse(event.data!)).toEqual({ id: created.id, prefix: created.prefix, label: "Partner A", expires_at: expiresAt.toISOString(), single_use: false });
    expect(event.data).not.toContain(created.token);
    expect((await store.listInitialAccessTokens()).map((r) => r.id)).toContain(created.id);
  });

  it("revokes once: a second revocation (or an unknown id) is false and writes no event", async () => {
    const store = registrationStore(t.db);
    const created = await store.createInitialAccessToken({ label: "R", expiresAt: new Date(Date.now() + HOUR), createdById: adminId });
    expect(await store.isActiveInitialAccessToken(created.token)).toBe(true);
    expect(await store.revokeInitialAccessToken(created.id, adminId)).toBe(true);
    expect(await store.revokeInitialAccessToken(created.id, adminId)).toBe(false);
    expect(await store.revokeInitialAccessToken("00000000-0000-0000-0000-000000000000", adminId)).toBe(false);
    expect(await store.isActiveInitialAccessToken(created.token)).toBe(false);
    const events = await t.db.auditEvent.findMany({ where: { type: "registration_token.revoked", data: { contains: created.id } } });
    expect(events.map((e) => e.actorId)).toEqual([adminId]);
  });

  it("register re-checks the token in its transaction: revoked or expired -> rejected, nothing written", async () => {
    const store = registrationStore(t.db);
    const created = await store.createInitialAccessToken({ label: "E", expiresAt: new Date(Date.now() + HOUR), createdById: adminId });
    const clients = await t.db.client.count();
    await expect(store.register(svc, created.token, new Date(Date.now() + 2 * HOUR))).rejects.toBeInstanceOf(InitialAccessTokenRejected);
    await store.revokeInitialAccessToken(created.id, adminId);
    await expect(store.register(svc, created.token)).rejects.toBeInstanceOf(InitialAccessTokenRejected);
    await expect(store.register(svc, "lkiat_unknown")).rejects.toBeInstanceOf(InitialAccessTokenRejected);
    expect(await t.db.client.count()).toBe(clients);
    expect((await t.db.initialAccessToken.findUniqueOrThrow({ where: { id: created.id } })).useCount).toBe(0);
  });

  it("counts each registration made with a token", async () => {
    const store = registrationStore(t.db);
    const created = await store.createInitialAccessToken({ label: "C", expiresAt: new Date(Date.now() + HOUR), createdById: adminId });
    await Promise.all([store.register(svc, created.token), store.register(svc, created.token), store.register(svc, created.token)]);
    expect((await t.db.initialAccessToken.findUniqueOrThrow({ where: { id: created.id } })).useCount).toBe(3);
    expect(await t.db.client.count({ where: { ownerId: adminId, registeredVia: "dynamic" } })).toBeGreaterThanOrEqual(3);
  });

  it("of two concurrent updates with one registration token exactly one wins", async () => {
    const store = registrationStore(t.db);
    const reg = await store.register(svc, null);
    const row = await store.findByRegistrationToken(reg.client.clientId, reg.registrationAccessToken);
    expect(row).not.toBeNull();
    const results = await Promise.all([store.update(row!, { ...svc, client_name: "One" }), store.update(row!, { ...svc, client_name: "Two" })]);
    expect(results.filter((r) => r !== null)).toHaveLength(1);
    const winner = results.find((r) => r !== null)!;
    expect((await t.db.client.findUniqueOrThrow({ where: { id: row!.id } })).name).toBe(winner.client.metadata.client_name);
    expect(await store.findByRegistrationToken(reg.client.clientId, reg.registrationAccessToken)).toBeNull();
    expect(await store.findByRegistrationToken(reg.client.clientId, winner.registrationAccessToken)).not.toBeNull();
  });
});
