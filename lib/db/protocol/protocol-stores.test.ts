// The protocol stores (index.ts) against real SQLite and real PostgreSQL: the contract every
// OAuthStores keeps (test/store-contract.ts, which the unit tests' fake passes too), then what
// only a database shows: one row per consent, time-ordered ids, row counts under concurrency,
// and how client records are mapped from what the dashboard writes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { PROVIDERS, tempDatabase, testProtocolStores, type TempDatabase } from "@test/db";
import { storeContract, storedEvent } from "@test/store-contract";
import { clientStore } from "../clients";
import { documentClientStore } from "./document-clients";
import { apiStore } from "../apis";
import { sessionStore } from "../sessions";
import { userStore } from "../users";
import { randomToken, sha256 } from "../../crypto/tokens";
import { clientMetadataSchema } from "../../oauth/client-metadata";
import type { NewAccessToken, NewRefreshToken, OAuthStores } from "../../oauth/types";

const REDIRECT = "https://app.test/cb";

for (const provider of PROVIDERS) {
  storeContract(`lib/db/protocol on ${provider}`, async () => {
    const t = await tempDatabase(provider);
    const db = t.db;
    const stores = testProtocolStores(t);
    return {
      stores,
      documentClients: documentClientStore(db, stores.clients),
      seed: {
        async user(u = {}) {
          const row = await userStore(db).create({ email: u.email ?? `${randomUUID()}@test.dev`, passwordHash: "x", name: u.name ?? undefined });
          return { id: row.id, email: row.email, name: row.name, emailVerified: row.emailVerified, disabled: row.disabled, updatedAt: row.updatedAt };
        },
        async client(c, ownerId) {
          const row = await db.client.create({
            data: {
              clientId: c.clientId,
              name: c.name,
              ownerId,
              logoUrl: c.logoUrl,
              homepageUrl: c.homepageUrl,
              verified: c.verified,
              tokenEndpointAuthMethod: c.tokenEndpointAuthMethod,
              secretHash: c.secretHash,
              previousSecretHash: c.previousSecretHash,
              previousSecretExpiresAt: c.previousSecretExpiresAt,
              redirectUris: JSON.stringify(c.redirectUris),
              postLogoutRedirectUris: JSON.stringify(c.postLogoutRedirectUris),
              scopes: c.scopes.join(" "),
              grantTypes: c.grantTypes.join(" "),
              requirePkce: c.requirePkce,
              idTokenSignedResponseAlg: c.signingAlg,
              idTokenUserClaims: c.idTokenUserClaims,
              suspended: c.suspended,
            },
            include: { owner: true },
          });
          return { ...c, id: row.id, ownerName: row.owner ? (row.owner.name ?? row.owner.email) : null };
        },
        async session(userId, expiresAt, amr) {
          const now = new Date();
          const s = await db.portalSession.create({
            data: { id: randomToken(24), publicSid: randomToken(16), userId, authTime: now, lastSeenAt: now, expiresAt, ...(amr ? { amr: amr.join(" ") } : {}) },
          });
          return { id: s.id, sid: s.publicSid, userId, authTime: s.authTime, amr: s.amr.split(" ") };
        },
        async revokeSession(id) {
          await db.portalSession.update({ where: { id }, data: { revokedAt: new Date() } });
        },
        async updateUser(id, change) {
          await db.user.update({ where: { id }, data: change });
        },
        async revokeConsent(userId, clientId) {
          await db.consent.update({ where: { userId_clientId: { userId, clientId } }, data: { revokedAt: new Date() } });
        },
        async expireCode(codeId, at) {
          await db.authorizationCode.update({ where: { id: codeId }, data: { expiresAt: at } });
        },
        async deleteClient(id) {
          await db.client.delete({ where: { id } });
        },
        async events() {
          const rows = await db.auditEvent.findMany({ orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
          return rows.map((e) => storedEvent({ ...e, data: e.data === null ? null : (JSON.parse(e.data) as Record<string, unknown>) }));
        },
        async api(a) {
          const created = await apiStore(db).create(a, null);
          const { id, identifier, name, scopes, accessTokenTtl, allClients, allowedClientIds } = created.api;
          return { api: { id, identifier, name, scopes, accessTokenTtl, allClients, allowedClientIds }, credentialsClientId: created.client_id };
        },
        async setDefaultApi(clientId, apiId) {
          await apiStore(db).setDefaultFor(clientId, apiId, null);
        },
      },
      close: () => t.drop(),
    };
  });
}

describe.each(PROVIDERS)("protocol stores on %s: what the database shows", (provider) => {
  let t: TempDatabase;
  let stores: OAuthStores;
  let userId: string;
  let clientRowId: string;
  let clientId: string;
  let otherClientRowId: string;
  let clientSecret: string;

  beforeAll(async () => {
    t = await tempDatabase(provider);
    stores = testProtocolStores(t);
    userId = (await userStore(t.db).create({ email: "u@test.dev", passwordHash: "x" })).id;
    const c = await clientStore(t.db).create(
      clientMetadataSchema.parse({
        client_name: "App",
        redirect_uris: [REDIRECT, "https://app.test/cb2?x=1"],
        post_logout_redirect_uris: ["https://app.test/bye"],
        grant_types: ["authorization_code", "refresh_token", "client_credentials"],
        scope: "openid email offline_access",
      }),
      userId,
    );
    clientRowId = c.id;
    clientId = c.client_id;
    clientSecret = c.client_secret!;
    otherClientRowId = (await clientStore(t.db).create(clientMetadataSchema.parse({ client_name: "Other", redirect_uris: [REDIRECT] }), null)).id;
  });
  afterAll(async () => {
    await t?.drop();
  });

  const newUser = async () => (await userStore(t.db).create({ email: `${randomToken(6)}@test.dev`.toLowerCase(), passwordHash: "x" })).id;

  async function newCode(grantId = randomUUID()) {
    const id = randomUUID();
    await stores.codes.create({
      id, codeHash: sha256(randomToken(32)), grantId, clientId: clientRowId, userId, sessionId: "sess-1", redirectUri: REDIRECT,
      redirectUriGiven: true, scope: ["openid", "offline_access"], nonce: "n-1", codeChallenge: "c", codeChallengeMethod: "S256",
      authTime: new Date(Date.now() - 5000), amr: ["pwd"], expiresAt: new Date(Date.now() + 60_000),
    });
    return { id, grantId };
  }

  const access = (grantId: string | null): NewAccessToken => ({
    jti: randomUUID(), grantId, clientId: clientRowId, userId, scope: ["openid", "offline_access"], expiresAt: new Date(Date.now() + 600_000),
  });

  const refresh = (grantId: string): NewRefreshToken => ({
    tokenHash: sha256(randomToken(32)), grantId, clientId: clientRowId, userId, sessionId: "sess-1", scope: ["openid", "offline_access"],
    authTime: new Date(Date.now() - 5000), amr: ["pwd"], expiresAt: new Date(Date.now() + 3600_000), absoluteExpiresAt: new Date(Date.now() + 86400_000),
  });

  it("consents: one row per user and client, however often and however concurrently granted", async () => {
    const u = await newUser();
    await stores.consents.grant(u, clientRowId, ["openid"]);
    await stores.consents.grant(u, clientRowId, ["email", "openid"]);
    await Promise.all(["profile", "address"].map((s) => stores.consents.grant(u, clientRowId, [s])));
    expect(await t.db.consent.count({ where: { userId: u, clientId: clientRowId } })).toBe(1);
    const fresh = await newUser();
    await Promise.all(["profile", "email", "offline_access", "address"].map((s) => stores.consents.grant(fresh, clientRowId, [s])));
    expect(await t.db.consent.count({ where: { userId: fresh, clientId: clientRowId } })).toBe(1);
  });

  it("a re-activated consent is the same row, unrevoked, with only the new scopes", async () => {
    const u = await newUser();
    await stores.consents.grant(u, clientRowId, ["openid", "email"]);
    await t.db.consent.update({ where: { userId_clientId: { userId: u, clientId: clientRowId } }, data: { revokedAt: new Date() } });
    await stores.consents.grant(u, clientRowId, ["offline_access"]);
    const row = await t.db.consent.findUniqueOrThrow({ where: { userId_clientId: { userId: u, clientId: clientRowId } } });
    expect(row.revokedAt).toBeNull();
    expect(row.scopes).toBe("offline_access");
  });

  it("a portal session from sign-in: signed in with its public sid, which is random and not the row id", async () => {
    const u = await newUser();
    const live = await sessionStore(t.db).create({ userId: u, maxAgeSeconds: 3600 });
    expect(await stores.sessions.findSignedIn(live.id)).toEqual({ id: live.id, sid: live.publicSid, userId: u, authTime: live.authTime, amr: ["pwd"] });
    expect(live.publicSid).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(live.publicSid).not.toBe(live.id);
    await sessionStore(t.db).revoke(live.id);
    expect(await stores.sessions.findSignedIn(live.id)).toBeNull();
    const expired = await sessionStore(t.db).create({ userId: u, maxAgeSeconds: -1 });
    expect(await stores.sessions.findSignedIn(expired.id)).toBeNull();
  });

  it("a session's amr as the sign-in recorded it, and as a step-up changed it (with auth_time)", async () => {
    const u = await newUser();
    const s = await sessionStore(t.db).create({ userId: u, maxAgeSeconds: 3600, amr: ["hwk", "user", "mfa"] });
    expect((await stores.sessions.findSignedIn(s.id))?.amr).toEqual(["hwk", "user", "mfa"]);
    const pwd = await sessionStore(t.db).create({ userId: u, maxAgeSeconds: 3600 });
    const later = new Date(Date.now() + 5000);
    expect(await sessionStore(t.db).stepUp(pwd.id, ["pwd", "otp", "mfa"], later)).toBe(true);
    expect(await stores.sessions.findSignedIn(pwd.id)).toMatchObject({ amr: ["pwd", "otp", "mfa"], authTime: later });
  });

  it("the rows the stores insert at request rate get time-ordered ids (UUIDv7): refresh tokens, audit events", async () => {
    const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    const c = await newCode();
    const a = access(c.grantId);
    const r = refresh(c.grantId);
    expect(await stores.tokens.redeemCode(c.id, new Date(), a, r)).toBe(true);
    expect((await t.db.refreshToken.findUnique({ where: { tokenHash: r.tokenHash } }))?.id).toMatch(V7);
    const events = (await t.db.auditEvent.findMany({ where: { type: "token.issued", clientId: clientRowId } })).filter(
      (e) => JSON.parse(e.data ?? "{}").jti === a.jti,
    );
    expect(events).toHaveLength(1);
    expect(events[0]!.id).toMatch(V7);
  });

  it("concurrent redemptions and rotations leave exactly the winner's rows", async () => {
    const c = await newCode();
    const redeemed = await Promise.all(Array.from({ length: 8 }, () => stores.tokens.redeemCode(c.id, new Date(), access(c.grantId), refresh(c.grantId))));
    expect(redeemed.filter(Boolean)).toHaveLength(1);
    expect(await t.db.accessToken.count({ where: { grantId: c.grantId } })).toBe(1);
    expect(await t.db.refreshToken.count({ where: { grantId: c.grantId } })).toBe(1);

    const first = await t.db.refreshToken.findFirstOrThrow({ where: { grantId: c.grantId } });
    const rotated = await Promise.all(Array.from({ length: 8 }, () => stores.tokens.rotateRefresh(first.id, new Date(), access(c.grantId), refresh(c.grantId), null)));
    expect(rotated.filter(Boolean)).toHaveLength(1);
    expect(await t.db.refreshToken.count({ where: { grantId: c.grantId } })).toBe(2);
    expect(await t.db.accessToken.count({ where: { grantId: c.grantId } })).toBe(2);
    const jtis = new Set((await t.db.accessToken.findMany({ where: { grantId: c.grantId } })).map((a) => a.jti));
    const refreshed = await t.db.auditEvent.findMany({ where: { type: "token.refreshed" } });
    expect(refreshed.filter((e) => jtis.has(JSON.parse(e.data!).jti))).toHaveLength(1);
  });

  it("clients.findByClientId maps what the dashboard writes: redirect URIs, scopes and grant types as lists", async () => {
    expect(await stores.clients.findByClientId(clientId)).toEqual({
      id: clientRowId,
      clientId,
      name: "App",
      ownerName: "u@test.dev", // no name: the owner's email
      logoUrl: null,
      homepageUrl: null,
      verified: false,
      tokenEndpointAuthMethod: "client_secret_basic",
      secretHash: sha256(clientSecret),
      previousSecretHash: null,
      previousSecretExpiresAt: null,
      redirectUris: [REDIRECT, "https://app.test/cb2?x=1"],
      postLogoutRedirectUris: ["https://app.test/bye"],
      scopes: ["openid", "email", "offline_access"],
      grantTypes: ["authorization_code", "refresh_token", "client_credentials"],
      requirePkce: true,
      signingAlg: "ES256",
      idTokenUserClaims: true,
      suspended: false,
      defaultResource: null,
      resourceServer: null,
    });
  });

  it("clients.findByClientId: a public client, no owner, named owner", async () => {
    const named = (await userStore(t.db).create({ email: "dev@test.dev", passwordHash: "x", name: "Dev Shop" })).id;
    const pub = await clientStore(t.db).create(
      clientMetadataSchema.parse({ client_name: "Pub", redirect_uris: ["http://127.0.0.1/cb"], token_endpoint_auth_method: "none", scope: "openid" }),
      named,
    );
    expect(await stores.clients.findByClientId(pub.client_id)).toMatchObject({
      id: pub.id,
      ownerName: "Dev Shop",
      tokenEndpointAuthMethod: "none",
      secretHash: null,
      redirectUris: ["http://127.0.0.1/cb"],
      postLogoutRedirectUris: [],
      scopes: ["openid"],
      grantTypes: ["authorization_code", "refresh_token"],
    });
    const other = await t.db.client.findUniqueOrThrow({ where: { id: otherClientRowId } });
    expect((await stores.clients.findByClientId(other.clientId))?.ownerName).toBeNull();
  });

  it("a client deleted by another process: recordAccess writes no audit row for it", async () => {
    const gone = await clientStore(t.db).create(
      clientMetadataSchema.parse({ client_name: "Gone", redirect_uris: [REDIRECT], grant_types: ["client_credentials"], scope: "openid" }),
      userId,
    );
    expect(await stores.clients.findByClientId(gone.client_id)).not.toBeNull(); // cached
    await t.db.client.delete({ where: { id: gone.id } }); // no cache invalidation in this process
    expect(await stores.tokens.recordAccess({ ...access(null), clientId: gone.id, userId: null })).toBe(false);
    expect(await t.db.auditEvent.count({ where: { clientId: gone.id, type: "token.issued" } })).toBe(0);
  });
});
