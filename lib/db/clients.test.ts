// Client management (dashboard) against real SQLite and real PostgreSQL: update audits only
// field names, secret rotation with a grace period checked by the token endpoint's client
// authentication under a controlled clock, deletion counts and cascades, usage counts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { PROVIDERS, tempDatabase, testProtocolStores, type TempDatabase } from "@test/db";
import { changedFields, clientMetadataOf, clientStore, NotConfidential } from "./clients";
import { userStore } from "./users";
import { clientMetadataSchema, type ClientMetadataInput } from "../oauth/client-metadata";
import { authenticateClient } from "../oauth/client-auth";
import { InvalidClient } from "../oauth/errors";
import type { OAuthStores } from "../oauth/types";

const CB = "https://app.test/cb";
const meta = (extra: Partial<ClientMetadataInput> = {}) =>
  clientMetadataSchema.parse({ client_name: "App", redirect_uris: [CB], ...extra });

/** client_secret_basic credentials, as the token endpoint receives them. */
function basic(clientId: string, secret: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString("base64")}`;
}

describe("changedFields", () => {
  it("names the changed fields, ignoring scope and grant order", () => {
    const a = meta({ scope: "openid email", grant_types: ["authorization_code", "refresh_token"] });
    const b = meta({ scope: "email openid", grant_types: ["refresh_token", "authorization_code"] });
    expect(changedFields(a, b)).toEqual([]);
    const c = meta({ client_name: "New", description: "x", redirect_uris: [CB, "https://app.test/2"], require_pkce: false });
    expect(changedFields(a, c)).toEqual(["client_name", "description", "redirect_uris", "require_pkce", "scope"]);
  });
});

describe.each(PROVIDERS)("client management on %s", (provider) => {
  let t: TempDatabase;
  let oauth: OAuthStores;
  let ownerId: string;
  let otherUserId: string;

  beforeAll(async () => {
    t = await tempDatabase(provider);
    oauth = testProtocolStores(t);
    ownerId = (await userStore(t.db).create({ email: "dev@test.dev", passwordHash: "x", role: "developer" })).id;
    otherUserId = (await userStore(t.db).create({ email: "u@test.dev", passwordHash: "x" })).id;
  });
  afterAll(async () => {
    await t?.drop();
  });

  it("round-trips metadata, and update audits client.updated with the field names only", async () => {
    const clients = clientStore(t.db);
    const m = meta({ description: "Hello", client_uri: "https://app.test", post_logout_redirect_uris: ["https://app.test/bye"] });
    const c = await clients.create(m, ownerId);
    expect(clientMetadataOf((await clients.findById(c.id))!)).toStrictEqual(m);

    const next = meta({ client_name: "Renamed", description: "Hello", client_uri: "https://app.test", scope: "openid" });
    expect(await clients.update(c.id, next, ownerId)).toEqual(["client_name", "post_logout_redirect_uris", "scope"]);
    const row = (await clients.findById(c.id))!;
    expect([row.name, row.scopes, row.postLogoutRedirectUris]).toEqual(["Renamed", "openid", "[]"]);
    const events = await t.db.auditEvent.findMany({ where: { clientId: c.id, type: "client.updated" } });
    expect(events.map((e) => [e.actorId, e.data])).toEqual([[ownerId, JSON.stringify({ fields: "client_name post_logout_redirect_uris scope" })]]);

    // Nothing changed: nothing written.
    expect(await clients.update(c.id, next, ownerId)).toEqual([]);
    expect(await t.db.auditEvent.count({ where: { clientId: c.id, type: "client.updated" } })).toBe(1);
  });

  it("verified: an admin's portal clients and the CLI's are verified, others not; a non-admin's rename drops the mark, an admin's keeps it", async () => {
    const clients = clientStore(t.db);
    const dev = await clients.create(meta({ client_name: "Dev app" }), ownerId);
    const admin = await clients.create(meta({ client_name: "Admin app" }), ownerId, ownerId, "dashboard", true);
    const cli = await clients.create(meta({ client_name: "Cli app" }), null, null, "cli");
    const verified = async (id: string) => (await clients.findById(id))!.verified;
    expect([await verified(dev.id), await verified(admin.id), await verified(cli.id)]).toEqual([false, true, true]);
    expect(JSON.parse((await t.db.auditEvent.findFirstOrThrow({ where: { clientId: admin.id, type: "client.created" } })).data!)).toMatchObject({ verified: true });

    // A scope change keeps it; a rename by the (non-admin) owner drops it, audited.
    await clients.update(admin.id, meta({ client_name: "Admin app", scope: "openid" }), ownerId);
    expect(await verified(admin.id)).toBe(true);
    await clients.update(admin.id, meta({ client_name: "Admin app 2" }), ownerId);
    expect(await verified(admin.id)).toBe(false);
    const last = await t.db.auditEvent.findFirstOrThrow({ where: { clientId: admin.id, type: "client.updated" }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
    expect(JSON.parse(last.data!)).toEqual({ fields: "client_name scope", unverified: true });
    // An admin's rename keeps it.
    await clients.update(cli.id, meta({ client_name: "Cli app renamed" }), ownerId, true);
    expect(await verified(cli.id)).toBe(true);
  });

  it("update keeps the client type: a confidential client cannot be turned public", async () => {
    const clients = clientStore(t.db);
    const c = await clients.create(meta(), ownerId);
    expect(await clients.update(c.id, meta({ token_endpoint_auth_method: "none" }), ownerId)).toEqual([]);
    expect((await clients.findById(c.id))!.tokenEndpointAuthMethod).toBe("client_secret_basic");
  });

  it("rotation with a grace period: the old secret works until it ends, then fails; the new one works", async () => {
    const clients = clientStore(t.db);
    const c = await clients.create(meta(), ownerId);
    const t0 = new Date("2030-01-01T00:00:00Z");
    const newSecret = await clients.rotateSecret(c.id, 3600, ownerId, t0);
    expect(newSecret).not.toBe(c.client_secret);
    expect(newSecret).toMatch(/^lks_[A-Za-z0-9_-]{43}$/);
    const row = (await clients.findById(c.id))!;
    expect(row.secretPrefix).toBe(newSecret.slice(0, 10));
    expect(row.secretCreatedAt).toEqual(t0);
    expect(row.previousSecretExpiresAt).toEqual(new Date("2030-01-01T01:00:00Z"));

    const auth = (secret: string, at: string) => authenticateClient(oauth, basic(c.client_id, secret), new Map(), new Date(at));
    await expect(auth(c.client_secret!, "2030-01-01T00:59:59Z")).resolves.toMatchObject({ id: c.id });
    await expect(auth(newSecret, "2030-01-01T00:59:59Z")).resolves.toMatchObject({ id: c.id });
    await expect(auth(c.client_secret!, "2030-01-01T01:00:00Z")).rejects.toBeInstanceOf(InvalidClient);
    await expect(auth(newSecret, "2030-01-01T01:00:00Z")).resolves.toMatchObject({ id: c.id });

    const events = await t.db.auditEvent.findMany({ where: { clientId: c.id, type: "client.secret_rotated" } });
    expect(events.map((e) => [e.actorId, e.data])).toEqual([[ownerId, JSON.stringify({ grace_seconds: 3600 })]]);
    expect(events[0]!.data).not.toContain(newSecret.slice(4, 12));
  });

  it("rotation without grace: the old secret stops at once; rotating again drops the earlier grace", async () => {
    const clients = clientStore(t.db);
    const c = await clients.create(meta({ token_endpoint_auth_method: "client_secret_post" }), ownerId);
    const now = new Date();
    const second = await clients.rotateSecret(c.id, 86400, ownerId, now);
    const third = await clients.rotateSecret(c.id, 0, ownerId, now);
    const post = (secret: string) =>
      authenticateClient(oauth, null, new Map([["client_id", c.client_id], ["client_secret", secret]]), now);
    await expect(post(c.client_secret!)).rejects.toBeInstanceOf(InvalidClient);
    await expect(post(second)).rejects.toBeInstanceOf(InvalidClient);
    await expect(post(third)).resolves.toMatchObject({ id: c.id });
    const row = (await clients.findById(c.id))!;
    expect([row.previousSecretHash, row.previousSecretExpiresAt]).toEqual([null, null]);
  });

  it("a public client has no secret to rotate", async () => {
    const clients = clientStore(t.db);
    const c = await clients.create(meta({ token_endpoint_auth_method: "none" }), ownerId);
    await expect(clients.rotateSecret(c.id, 0, ownerId)).rejects.toBeInstanceOf(NotConfidential);
    expect(await t.db.auditEvent.count({ where: { clientId: c.id, type: "client.secret_rotated" } })).toBe(0);
  });

  it("usage: active consents, tokens of the last 24 h, client_credentials tokens of the last 30 days", async () => {
    const clients = clientStore(t.db);
    const c = await clients.create(meta({ grant_types: ["authorization_code", "client_credentials"] }), ownerId);
    const now = new Date();
    const ago = (h: number) => new Date(now.getTime() - h * 3600_000);
    await t.db.consent.create({ data: { userId: ownerId, clientId: c.id, scopes: "openid" } });
    await t.db.consent.create({ data: { userId: otherUserId, clientId: c.id, scopes: "openid", revokedAt: now } });
    const token = (createdAt: Date, userId: string | null) =>
      t.db.accessToken.create({
        data: { jti: randomUUID(), clientId: c.id, userId, scope: "openid", createdAt, expiresAt: new Date(now.getTime() + 3600_000) },
      });
    await token(ago(1), ownerId);
    await token(ago(23), null);
    await token(ago(25), ownerId);
    await token(ago(24 * 29), null);
    await token(ago(24 * 31), null);
    expect(await clients.usage(c.id, now)).toEqual({ activeConsents: 1, tokensLast24h: 2, clientCredentialsTokensLast30d: 2 });
    const per = await clients.tokensLast24h([c.id, "no-such-id"], now);
    expect([per.get(c.id), per.get("no-such-id")]).toEqual([2, undefined]);
  });

  it("listFor: a developer sees their own clients, an admin every client", async () => {
    const clients = clientStore(t.db);
    const mine = await clients.create(meta({ client_name: "Mine" }), otherUserId);
    const ids = (rows: { id: string }[]) => rows.map((r) => r.id);
    expect(ids(await clients.listFor({ id: otherUserId, admin: false }))).toEqual([mine.id]);
    const all = ids(await clients.listFor({ id: otherUserId, admin: true }));
    expect(all).toContain(mine.id);
    expect(all.length).toBe(await t.db.client.count());
  });

  it("remove counts what was live, deletes the client with its consents, codes and tokens, and audits the counts", async () => {
    const clients = clientStore(t.db);
    const c = await clients.create(meta(), ownerId);
    const keep = await clients.create(meta({ client_name: "Keep" }), ownerId);
    const now = new Date();
    const later = new Date(now.getTime() + 3600_000);
    for (const clientId of [c.id, keep.id]) {
      await t.db.consent.create({ data: { userId: ownerId, clientId, scopes: "openid" } });
      await t.db.authorizationCode.create({
        data: { codeHash: randomUUID(), grantId: randomUUID(), clientId, userId: ownerId, redirectUri: CB, scope: "openid", authTime: now, expiresAt: later },
      });
      await t.db.refreshToken.create({
        data: { tokenHash: randomUUID(), grantId: randomUUID(), clientId, userId: ownerId, scope: "openid", authTime: now, expiresAt: later, absoluteExpiresAt: later },
      });
      await t.db.accessToken.create({ data: { jti: randomUUID(), clientId, userId: ownerId, scope: "openid", expiresAt: later } });
    }
    // An already revoked token is deleted too, but not counted as live.
    await t.db.accessToken.create({ data: { jti: randomUUID(), clientId: c.id, userId: ownerId, scope: "openid", expiresAt: later, revokedAt: now } });

    expect(await clients.remove(c.id, ownerId, now)).toEqual({ consents: 1, codes: 1, refreshTokens: 1, accessTokens: 1 });
    expect(await clients.findById(c.id)).toBeNull();
    const left = async (clientId: string) => [
      await t.db.consent.count({ where: { clientId } }),
      await t.db.authorizationCode.count({ where: { clientId } }),
      await t.db.refreshToken.count({ where: { clientId } }),
      await t.db.accessToken.count({ where: { clientId } }),
    ];
    expect(await left(c.id)).toEqual([0, 0, 0, 0]);
    expect(await left(keep.id)).toEqual([1, 1, 1, 1]);
    const events = await t.db.auditEvent.findMany({ where: { clientId: c.id, type: "client.deleted" } });
    expect(events.map((e) => [e.actorId, JSON.parse(e.data!)])).toEqual([
      [ownerId, { client_id: c.client_id, name: "App", consents: 1, codes: 1, refresh_tokens: 1, access_tokens: 1 }],
    ]);
  });
});
