// The protocol core's stores (oauth-stores.ts) against real SQLite and real PostgreSQL: exact
// round-trips, single use under concurrency, consent unions and re-activation, session
// liveness, code redemption and refresh rotation, grant-wide revocation, and row mapping.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { PROVIDER_STORES, tempDatabase, testOAuthStores, type TempDatabase } from "./test-support";
import { clientStore } from "./clients";
import { sessionStore } from "./sessions";
import { userStore } from "./users";
import { randomToken, sha256 } from "../crypto/tokens";
import { clientMetadataSchema } from "../oauth/client-metadata";
import type { AuthorizationParams, NewAccessToken, NewRefreshToken, OAuthStores } from "../oauth/types";

const REDIRECT = "https://app.test/cb";

describe.each(PROVIDER_STORES)("oauth stores on %s (%s)", (provider, variant) => {
  let t: TempDatabase;
  let stores: OAuthStores;
  let userId: string;
  let clientRowId: string;
  let clientId: string;
  let otherClientRowId: string;
  let clientSecret: string;

  beforeAll(async () => {
    t = await tempDatabase(provider);
    stores = testOAuthStores(t, variant);
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

  const params = (extra: Partial<AuthorizationParams> = {}): AuthorizationParams => ({
    clientId,
    redirectUri: REDIRECT,
    redirectUriGiven: true,
    scope: ["openid", "email"],
    state: "st ä/€ \"quoted\" & <tag>",
    nonce: "n-1",
    codeChallenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
    codeChallengeMethod: "S256",
    prompt: ["login", "consent"],
    maxAge: 0,
    loginHint: null,
    ...extra,
  });

  async function newRequest(p: AuthorizationParams = params(), sessionId: string | null = null) {
    const id = randomToken(24);
    const createdAt = new Date(Date.now() - 1000);
    const expiresAt = new Date(createdAt.getTime() + 600_000);
    await stores.requests.create({ id, clientId: clientRowId, params: p, sessionId, createdAt, expiresAt });
    return { id, createdAt, expiresAt };
  }

  const newUser = async () => (await userStore(t.db).create({ email: `${randomToken(6)}@test.dev`.toLowerCase(), passwordHash: "x" })).id;

  // --------------------------------------------------------------------------------------------
  // requests
  // --------------------------------------------------------------------------------------------

  it("requests.create/find round-trips the validated params exactly", async () => {
    const p = params();
    const r = await newRequest(p, "sess-x");
    expect(await stores.requests.find(r.id)).toEqual({
      id: r.id,
      clientId: clientRowId,
      params: p,
      sessionId: "sess-x",
      createdAt: r.createdAt,
      expiresAt: r.expiresAt,
      consumedAt: null,
    });
    // Nulls and empty lists survive too.
    const q = params({ state: null, nonce: null, codeChallenge: null, codeChallengeMethod: null, prompt: [], maxAge: null, loginHint: "a@b.c", redirectUriGiven: false });
    const r2 = await newRequest(q);
    const found = await stores.requests.find(r2.id);
    expect(found?.params).toEqual(q);
    expect(found?.sessionId).toBeNull();
    expect(await stores.requests.find("no-such-request")).toBeNull();
  });

  it("bindSession binds the first session; true again for it, false for another", async () => {
    const { id } = await newRequest();
    expect(await stores.requests.bindSession(id, "s1")).toBe(true);
    expect(await stores.requests.bindSession(id, "s1")).toBe(true);
    expect(await stores.requests.bindSession(id, "s2")).toBe(false);
    expect((await stores.requests.find(id))?.sessionId).toBe("s1");
    expect(await stores.requests.bindSession("no-such-request", "s1")).toBe(false);
  });

  it("bindSession under concurrency: exactly one of several sessions wins", async () => {
    const { id } = await newRequest();
    const sessions = Array.from({ length: 10 }, (_, i) => `s-${i}`);
    const results = await Promise.all(sessions.map((s) => stores.requests.bindSession(id, s)));
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = sessions[results.indexOf(true)];
    expect((await stores.requests.find(id))?.sessionId).toBe(winner);
  });

  it("consume is true exactly once and records when", async () => {
    const { id } = await newRequest();
    const now = new Date(Date.now() - 123);
    expect(await stores.requests.consume(id, now)).toBe(true);
    expect(await stores.requests.consume(id, new Date())).toBe(false);
    expect((await stores.requests.find(id))?.consumedAt).toEqual(now);
    expect(await stores.requests.consume("no-such-request", new Date())).toBe(false);
  });

  it("consume under 10 concurrent calls: exactly one true", async () => {
    const { id } = await newRequest();
    const results = await Promise.all(Array.from({ length: 10 }, () => stores.requests.consume(id, new Date())));
    expect(results.filter((r) => r === true)).toHaveLength(1);
    expect(results.filter((r) => r === false)).toHaveLength(9);
  });

  // --------------------------------------------------------------------------------------------
  // consents
  // --------------------------------------------------------------------------------------------

  it("consents: null without consent; the scopes after grant; grant unions scopes", async () => {
    const u = await newUser();
    expect(await stores.consents.find(u, clientRowId)).toBeNull();
    await stores.consents.grant(u, clientRowId, ["openid"]);
    expect(await stores.consents.find(u, clientRowId)).toEqual(["openid"]);
    await stores.consents.grant(u, clientRowId, ["email"]);
    expect(await stores.consents.find(u, clientRowId)).toEqual(["openid", "email"]);
    // Granting what is already there changes nothing, and adds no duplicate.
    await stores.consents.grant(u, clientRowId, ["email", "openid"]);
    expect(await stores.consents.find(u, clientRowId)).toEqual(["openid", "email"]);
    expect(await t.db.consent.count({ where: { userId: u, clientId: clientRowId } })).toBe(1);
    // Per client: another client has none.
    expect(await stores.consents.find(u, otherClientRowId)).toBeNull();
    // Each grant is audited.
    const events = await t.db.auditEvent.findMany({ where: { type: "consent.granted", actorId: u }, orderBy: { createdAt: "asc" } });
    expect(events).toHaveLength(3);
    expect(events.every((e) => e.clientId === clientRowId && e.subjectId === u)).toBe(true);
  });

  it("concurrent grants of different scopes keep every scope (first grant and existing consent)", async () => {
    for (const existing of [false, true]) {
      const u = await newUser();
      if (existing) await stores.consents.grant(u, clientRowId, ["openid"]);
      const wanted = ["profile", "email", "offline_access", "address"];
      await Promise.all(wanted.map((s) => stores.consents.grant(u, clientRowId, [s])));
      const granted = await stores.consents.find(u, clientRowId);
      expect([...(granted ?? [])].sort()).toEqual([...(existing ? ["openid"] : []), ...wanted].sort());
      expect(await t.db.consent.count({ where: { userId: u, clientId: clientRowId } })).toBe(1);
    }
  });

  it("a revoked consent reads as null; a new grant re-activates it with only the new scopes", async () => {
    const u = await newUser();
    await stores.consents.grant(u, clientRowId, ["openid", "email"]);
    await t.db.consent.update({ where: { userId_clientId: { userId: u, clientId: clientRowId } }, data: { revokedAt: new Date() } });
    expect(await stores.consents.find(u, clientRowId)).toBeNull();
    await stores.consents.grant(u, clientRowId, ["offline_access"]);
    // Nothing is kept from the revoked consent.
    expect(await stores.consents.find(u, clientRowId)).toEqual(["offline_access"]);
    const row = await t.db.consent.findUniqueOrThrow({ where: { userId_clientId: { userId: u, clientId: clientRowId } } });
    expect(row.revokedAt).toBeNull();
    expect(row.scopes).toBe("offline_access");
  });

  // --------------------------------------------------------------------------------------------
  // sessions
  // --------------------------------------------------------------------------------------------

  it("sessions.findActive: the live session; null for unknown, revoked, expired and disabled-user sessions", async () => {
    const sessions = sessionStore(t.db);
    const u = await newUser();
    const live = await sessions.create({ userId: u, maxAgeSeconds: 3600 });
    expect(await stores.sessions.findActive(live.id)).toEqual({ id: live.id, sid: live.publicSid, userId: u, authTime: live.authTime });
    expect(live.publicSid).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(live.publicSid).not.toBe(live.id);
    expect(await stores.sessions.findActive("no-such-session")).toBeNull();

    const revoked = await sessions.create({ userId: u, maxAgeSeconds: 3600 });
    await sessions.revoke(revoked.id);
    expect(await stores.sessions.findActive(revoked.id)).toBeNull();

    const expired = await sessions.create({ userId: u, maxAgeSeconds: -1 });
    expect(await stores.sessions.findActive(expired.id)).toBeNull();

    // Disabled user, session row itself untouched (not revoked, not expired).
    const d = await newUser();
    const ofDisabled = await sessions.create({ userId: d, maxAgeSeconds: 3600 });
    expect(await stores.sessions.findActive(ofDisabled.id)).not.toBeNull();
    await t.db.user.update({ where: { id: d }, data: { disabled: true } });
    expect(await stores.sessions.findActive(ofDisabled.id)).toBeNull();
    // The live one is still live.
    expect(await stores.sessions.findActive(live.id)).not.toBeNull();

    // An admin forced a password reset: no codes for this session until the password is changed.
    const r = await newUser();
    const ofReset = await sessions.create({ userId: r, maxAgeSeconds: 3600 });
    await t.db.user.update({ where: { id: r }, data: { mustResetPassword: true } });
    expect(await stores.sessions.findActive(ofReset.id)).toBeNull();
    await t.db.user.update({ where: { id: r }, data: { mustResetPassword: false } });
    expect(await stores.sessions.findActive(ofReset.id)).not.toBeNull();
  });

  // --------------------------------------------------------------------------------------------
  // codes and tokens
  // --------------------------------------------------------------------------------------------

  async function newCode(grantId = randomUUID()) {
    const code = randomToken(32);
    const id = randomUUID();
    await stores.codes.create({
      id,
      codeHash: sha256(code),
      grantId,
      clientId: clientRowId,
      userId,
      sessionId: "sess-1",
      redirectUri: REDIRECT,
      redirectUriGiven: true,
      scope: ["openid", "offline_access"],
      nonce: "n-1",
      codeChallenge: "c",
      codeChallengeMethod: "S256",
      authTime: new Date(Date.now() - 5000),
      expiresAt: new Date(Date.now() + 60_000),
    });
    return { id, code, grantId };
  }

  const access = (grantId: string | null, scope = ["openid", "offline_access"]): NewAccessToken => ({
    jti: randomUUID(),
    grantId,
    clientId: clientRowId,
    userId,
    scope,
    expiresAt: new Date(Date.now() + 600_000),
  });

  const refresh = (grantId: string, scope = ["openid", "offline_access"]) => {
    const token = randomToken(32);
    const r: NewRefreshToken = {
      tokenHash: sha256(token),
      grantId,
      clientId: clientRowId,
      userId,
      sessionId: "sess-1",
      scope,
      authTime: new Date(Date.now() - 5000),
      expiresAt: new Date(Date.now() + 3600_000),
      absoluteExpiresAt: new Date(Date.now() + 86400_000),
    };
    return { token, r };
  };

  it("codes.findByHash maps the row back, scope as a list", async () => {
    const c = await newCode();
    const found = await stores.codes.findByHash(sha256(c.code));
    expect(found).toMatchObject({ id: c.id, grantId: c.grantId, clientId: clientRowId, userId, scope: ["openid", "offline_access"], consumedAt: null });
    expect(found).not.toHaveProperty("codeHash");
    expect(await stores.codes.findByHash(sha256("nope"))).toBeNull();
  });

  it("tokens.redeemCode is true once, then false, and the loser records nothing", async () => {
    const c = await newCode();
    const a1 = access(c.grantId);
    const r1 = refresh(c.grantId);
    const now = new Date();
    expect(await stores.tokens.redeemCode(c.id, now, a1, r1.r)).toBe(true);
    expect((await stores.codes.findByHash(sha256(c.code)))?.consumedAt).toEqual(now);
    expect(await stores.tokens.findAccess(a1.jti)).not.toBeNull();
    expect(await stores.tokens.findRefreshByHash(r1.r.tokenHash)).not.toBeNull();

    // The issuance is audited in the same transaction: one event, naming the jti, never a token.
    const issued = await t.db.auditEvent.findMany({ where: { type: "token.issued", clientId: clientRowId } });
    const mine = issued.filter((e) => JSON.parse(e.data ?? "{}").jti === a1.jti);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ actorId: userId, subjectId: userId });
    expect(JSON.parse(mine[0]!.data!)).toEqual({
      grant_type: "authorization_code",
      jti: a1.jti,
      scope: a1.scope.join(" "),
      refresh_token_issued: true,
    });
    expect(mine[0]!.data).not.toContain(r1.r.tokenHash);

    const a2 = access(c.grantId);
    const r2 = refresh(c.grantId);
    expect(await stores.tokens.redeemCode(c.id, new Date(), a2, r2.r)).toBe(false);
    expect(await stores.tokens.findAccess(a2.jti)).toBeNull();
    expect(await stores.tokens.findRefreshByHash(r2.r.tokenHash)).toBeNull();
    // The loser's event was undone with its tokens.
    const after = await t.db.auditEvent.findMany({ where: { type: "token.issued", clientId: clientRowId } });
    expect(after.filter((e) => JSON.parse(e.data ?? "{}").jti === a2.jti)).toHaveLength(0);
  });

  it("tokens.redeemCode refuses a code expired after it was read (a revocation in between) and records nothing", async () => {
    const c = await newCode();
    // What lib/db/grants.ts does to unused codes when the user revokes the app.
    await t.db.authorizationCode.updateMany({ where: { id: c.id }, data: { expiresAt: new Date(Date.now() - 1) } });
    const a = access(c.grantId);
    expect(await stores.tokens.redeemCode(c.id, new Date(), a, refresh(c.grantId).r)).toBe(false);
    expect(await stores.tokens.findAccess(a.jti)).toBeNull();
    expect(await t.db.refreshToken.count({ where: { grantId: c.grantId } })).toBe(0);
  });

  it("tokens.recordAccess records the token and a token.issued event (client_credentials)", async () => {
    const a = { ...access(null), userId: null };
    await stores.tokens.recordAccess(a);
    expect(await stores.tokens.findAccess(a.jti)).not.toBeNull();
    const events = (await t.db.auditEvent.findMany({ where: { type: "token.issued", clientId: a.clientId } })).filter(
      (e) => JSON.parse(e.data ?? "{}").jti === a.jti,
    );
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actorId: null, subjectId: null });
    expect(JSON.parse(events[0]!.data!).grant_type).toBe("client_credentials");
  });

  it("the rows the stores insert at request rate get time-ordered ids (UUIDv7): refresh tokens, audit events", async () => {
    const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    const c = await newCode();
    const a = access(c.grantId);
    const r = refresh(c.grantId);
    expect(await stores.tokens.redeemCode(c.id, new Date(), a, r.r)).toBe(true);
    const row = await t.db.refreshToken.findUnique({ where: { tokenHash: r.r.tokenHash } });
    expect(row?.id).toMatch(V7);
    const events = (await t.db.auditEvent.findMany({ where: { type: "token.issued", clientId: clientRowId } })).filter(
      (e) => JSON.parse(e.data ?? "{}").jti === a.jti,
    );
    expect(events).toHaveLength(1);
    expect(events[0]!.id).toMatch(V7);
  });

  it("tokens.redeemCode under concurrency: exactly one winner, only its tokens recorded", async () => {
    const c = await newCode();
    const attempts = Array.from({ length: 8 }, () => ({ a: access(c.grantId), r: refresh(c.grantId).r }));
    const results = await Promise.all(attempts.map(({ a, r }) => stores.tokens.redeemCode(c.id, new Date(), a, r)));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await t.db.accessToken.count({ where: { grantId: c.grantId } })).toBe(1);
    expect(await t.db.refreshToken.count({ where: { grantId: c.grantId } })).toBe(1);
    const winner = attempts[results.indexOf(true)]!;
    expect(await stores.tokens.findAccess(winner.a.jti)).not.toBeNull();
  });

  it("tokens.rotateRefresh is true once, then false; a revoked one does not rotate", async () => {
    const c = await newCode();
    const first = refresh(c.grantId);
    await stores.tokens.redeemCode(c.id, new Date(), access(c.grantId), first.r);
    const rec = (await stores.tokens.findRefreshByHash(first.r.tokenHash))!;
    const next = refresh(c.grantId);
    const now = new Date();
    expect(await stores.tokens.rotateRefresh(rec.id, now, access(c.grantId), next.r)).toBe(true);
    expect((await stores.tokens.findRefreshByHash(first.r.tokenHash))?.rotatedAt).toEqual(now);
    expect((await stores.tokens.findRefreshByHash(next.r.tokenHash))?.rotatedAt).toBeNull();

    const again = refresh(c.grantId);
    const againAccess = access(c.grantId);
    expect(await stores.tokens.rotateRefresh(rec.id, new Date(), againAccess, again.r)).toBe(false);
    expect(await stores.tokens.findRefreshByHash(again.r.tokenHash)).toBeNull();
    expect(await stores.tokens.findAccess(againAccess.jti)).toBeNull();

    // A revoked (never rotated) refresh token cannot rotate.
    const nextRec = (await stores.tokens.findRefreshByHash(next.r.tokenHash))!;
    await stores.tokens.revokeGrant(c.grantId, new Date());
    expect(await stores.tokens.rotateRefresh(nextRec.id, new Date(), access(c.grantId), refresh(c.grantId).r)).toBe(false);
  });

  it("tokens.rotateRefresh under concurrency: exactly one winner", async () => {
    const c = await newCode();
    const first = refresh(c.grantId);
    await stores.tokens.redeemCode(c.id, new Date(), access(c.grantId), first.r);
    const rec = (await stores.tokens.findRefreshByHash(first.r.tokenHash))!;
    const results = await Promise.all(
      Array.from({ length: 8 }, () => stores.tokens.rotateRefresh(rec.id, new Date(), access(c.grantId), refresh(c.grantId).r)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await t.db.refreshToken.count({ where: { grantId: c.grantId } })).toBe(2);
    expect(await t.db.accessToken.count({ where: { grantId: c.grantId } })).toBe(2);
    // One token.refreshed event: the winner's.
    const refreshed = await t.db.auditEvent.findMany({ where: { type: "token.refreshed" } });
    const jtis = new Set((await t.db.accessToken.findMany({ where: { grantId: c.grantId } })).map((a) => a.jti));
    expect(refreshed.filter((e) => jtis.has(JSON.parse(e.data!).jti))).toHaveLength(1);
  });

  it("tokens.revokeGrant revokes every refresh and access token of the grant, nothing of another", async () => {
    const g = await newCode();
    const other = await newCode();
    await stores.tokens.redeemCode(g.id, new Date(), access(g.grantId), refresh(g.grantId).r);
    const gRefresh = (await t.db.refreshToken.findFirstOrThrow({ where: { grantId: g.grantId } })).id;
    await stores.tokens.rotateRefresh(gRefresh, new Date(), access(g.grantId), refresh(g.grantId).r);
    await stores.tokens.recordAccess(access(g.grantId));
    await stores.tokens.redeemCode(other.id, new Date(), access(other.grantId), refresh(other.grantId).r);
    const ungranted = access(null);
    await stores.tokens.recordAccess(ungranted);

    const now = new Date();
    await stores.tokens.revokeGrant(g.grantId, now);
    const gRefreshes = await t.db.refreshToken.findMany({ where: { grantId: g.grantId } });
    const gAccess = await t.db.accessToken.findMany({ where: { grantId: g.grantId } });
    expect(gRefreshes).toHaveLength(2);
    expect(gAccess).toHaveLength(3);
    for (const row of [...gRefreshes, ...gAccess]) expect(row.revokedAt).toEqual(now);

    expect(await t.db.refreshToken.count({ where: { grantId: other.grantId, revokedAt: null } })).toBe(1);
    expect(await t.db.accessToken.count({ where: { grantId: other.grantId, revokedAt: null } })).toBe(1);
    expect((await stores.tokens.findAccess(ungranted.jti))?.revokedAt).toBeNull();

    // Revoking again keeps the first revocation time.
    await stores.tokens.revokeGrant(g.grantId, new Date(now.getTime() + 5000));
    const again = await t.db.accessToken.findMany({ where: { grantId: g.grantId } });
    for (const row of again) expect(row.revokedAt).toEqual(now);
  });

  it("findRefreshByHash and findAccess map scope strings to lists (and hide the hash)", async () => {
    const c = await newCode();
    const a = access(c.grantId, ["openid", "email", "offline_access"]);
    const r = refresh(c.grantId, ["openid", "email", "offline_access"]);
    await stores.tokens.redeemCode(c.id, new Date(), a, r.r);

    const rec = await stores.tokens.findRefreshByHash(r.r.tokenHash);
    expect(rec).toMatchObject({
      grantId: c.grantId,
      clientId: clientRowId,
      userId,
      sessionId: "sess-1",
      scope: ["openid", "email", "offline_access"],
      authTime: r.r.authTime,
      expiresAt: r.r.expiresAt,
      absoluteExpiresAt: r.r.absoluteExpiresAt,
      rotatedAt: null,
      revokedAt: null,
    });
    expect(rec).not.toHaveProperty("tokenHash");
    expect(rec?.createdAt).toBeInstanceOf(Date);
    expect(await stores.tokens.findRefreshByHash(r.token)).toBeNull(); // the raw token is not a key

    expect(await stores.tokens.findAccess(a.jti)).toMatchObject({
      jti: a.jti,
      grantId: c.grantId,
      clientId: clientRowId,
      userId,
      scope: ["openid", "email", "offline_access"],
      expiresAt: a.expiresAt,
      revokedAt: null,
    });
    expect(await stores.tokens.findAccess(randomUUID())).toBeNull();

    // An access token with no scope maps to an empty list.
    const bare = access(null, []);
    await stores.tokens.recordAccess(bare);
    expect((await stores.tokens.findAccess(bare.jti))?.scope).toEqual([]);
  });

  it("codes and refresh tokens say whether their user is still active (read in the same query)", async () => {
    const other = (await userStore(t.db).create({ email: `active-${randomUUID()}@test.dev`, passwordHash: "x" })).id;
    const code = randomToken(32);
    const codeId = randomUUID();
    const grantId = randomUUID();
    await stores.codes.create({
      id: codeId, codeHash: sha256(code), grantId, clientId: clientRowId, userId: other, sessionId: null,
      redirectUri: REDIRECT, redirectUriGiven: true, scope: ["openid", "offline_access"], nonce: null,
      codeChallenge: null, codeChallengeMethod: null, authTime: new Date(), expiresAt: new Date(Date.now() + 60_000),
    });
    const r = { ...refresh(grantId).r, userId: other };
    await t.db.refreshToken.create({ data: { ...r, scope: r.scope.join(" ") } });
    expect((await stores.codes.findByHash(sha256(code)))?.userActive).toBe(true);
    expect((await stores.tokens.findRefreshByHash(r.tokenHash))?.userActive).toBe(true);
    await t.db.user.update({ where: { id: other }, data: { disabled: true } });
    expect((await stores.codes.findByHash(sha256(code)))?.userActive).toBe(false);
    expect((await stores.tokens.findRefreshByHash(r.tokenHash))?.userActive).toBe(false);
  });

  it("tokens.recordAccess is false and records nothing when the client is gone (deleted since it was read)", async () => {
    const gone = await clientStore(t.db).create(
      clientMetadataSchema.parse({ client_name: "Gone", redirect_uris: [REDIRECT], grant_types: ["client_credentials"], scope: "openid" }),
      userId,
    );
    expect(await stores.clients.findByClientId(gone.client_id)).not.toBeNull(); // cached on the hot variant
    await t.db.client.delete({ where: { id: gone.id } }); // as another process would: no cache invalidation here
    const a = { ...access(null, []), clientId: gone.id, userId: null };
    expect(await stores.tokens.recordAccess(a)).toBe(false);
    expect(await stores.tokens.findAccess(a.jti)).toBeNull();
    expect(await t.db.auditEvent.count({ where: { clientId: gone.id, type: "token.issued" } })).toBe(0);
    expect(await stores.clients.findByClientId(gone.client_id)).toBeNull(); // the stale entry is gone too
  });

  it("revokeAccess revokes one access token only", async () => {
    const a = access(null);
    const b = access(null);
    await stores.tokens.recordAccess(a);
    await stores.tokens.recordAccess(b);
    const now = new Date();
    await stores.tokens.revokeAccess(a.jti, now);
    expect((await stores.tokens.findAccess(a.jti))?.revokedAt).toEqual(now);
    expect((await stores.tokens.findAccess(b.jti))?.revokedAt).toBeNull();
  });

  // --------------------------------------------------------------------------------------------
  // clients and users
  // --------------------------------------------------------------------------------------------

  it("clients.findByClientId maps redirect URIs, scopes and grant types to lists", async () => {
    const c = await stores.clients.findByClientId(clientId);
    expect(c).toEqual({
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
      suspended: false,
    });
    expect(await stores.clients.findByClientId("lk_unknown")).toBeNull();
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
    expect((await stores.clients.findByClientId((await t.db.client.findUniqueOrThrow({ where: { id: otherClientRowId } })).clientId))?.ownerName).toBeNull();
  });

  it("users.findById returns the protocol's view of a user", async () => {
    const u = await stores.users.findById(userId);
    expect(u).toEqual({ id: userId, email: "u@test.dev", name: null, emailVerified: false, disabled: false, updatedAt: expect.any(Date) });
    expect(await stores.users.findById(randomUUID())).toBeNull();
  });
});
