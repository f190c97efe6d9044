// What the protocol's SQL writes is what Prisma reads: for each table the SQL writes
// (AuthorizationCode, AccessToken, RefreshToken, AuditEvent), a row written through the store
// and read back with Prisma, every column compared, on SQLite and PostgreSQL. (The other way,
// rows Prisma writes and the SQL reads - Client, User, PortalSession, Consent - is covered by
// the store contract, whose seed writes with Prisma: protocol-stores.test.ts.)
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { PROVIDERS, tempDatabase, testProtocolStores, type TempDatabase } from "@test/db";
import { userStore } from "../users";
import { randomToken, sha256 } from "../../crypto/tokens";
import type { NewAccessToken, NewCode, NewRefreshToken, OAuthStores } from "../../oauth/types";

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
/** A moment with milliseconds, so that truncation shows. */
const at = (offsetMs: number) => new Date(Math.floor(Date.now() / 1000) * 1000 + 123 + offsetMs);

describe.each(PROVIDERS)("SQL writes, Prisma reads, on %s", (provider) => {
  let t: TempDatabase;
  let stores: OAuthStores;
  let userId: string;
  let clientRowId: string;

  beforeAll(async () => {
    t = await tempDatabase(provider);
    stores = testProtocolStores(t);
    userId = (await userStore(t.db).create({ email: "u@test.dev", passwordHash: "x" })).id;
    clientRowId = (
      await t.db.client.create({
        data: { clientId: `lk_${randomToken(8)}`, name: "App", tokenEndpointAuthMethod: "none", redirectUris: "[]", scopes: "openid", grantTypes: "authorization_code" },
      })
    ).id;
  });
  afterAll(async () => {
    await t?.drop();
  });

  const newCode = (over: Partial<NewCode> = {}): NewCode => ({
    id: randomUUID(),
    codeHash: sha256(randomToken(32)),
    grantId: randomUUID(),
    clientId: clientRowId,
    userId,
    sessionId: "sid-1",
    redirectUri: "https://app.test/cb?x=ä",
    redirectUriGiven: true,
    scope: ["openid", "offline_access"],
    resources: ["https://api.test/one", "urn:example:two"],
    nonce: "n-1",
    codeChallenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
    codeChallengeMethod: "S256",
    authTime: at(-5000),
    amr: ["pwd", "otp", "mfa"],
    expiresAt: at(60_000),
    ...over,
  });
  const access = (grantId: string | null, over: Partial<NewAccessToken> = {}): NewAccessToken => ({
    jti: randomUUID(), grantId, clientId: clientRowId, userId, scope: ["openid", "offline_access"], expiresAt: at(600_000), ...over,
  });
  const refresh = (grantId: string): NewRefreshToken => ({
    tokenHash: sha256(randomToken(32)), grantId, clientId: clientRowId, userId, sessionId: "sid-1", scope: ["openid", "offline_access"],
    resources: ["https://api.test/one"], authTime: at(-5000), amr: ["pwd", "otp", "mfa"], expiresAt: at(3600_000), absoluteExpiresAt: at(86_400_000),
  });
  const recent = () => expect.toSatisfy((d: Date) => d instanceof Date && Math.abs(d.getTime() - Date.now()) < 60_000);

  it("AuthorizationCode: codes.create, then redeemCode's consumedAt", async () => {
    const c = newCode();
    const before = Date.now();
    await stores.codes.create(c);
    const row = await t.db.authorizationCode.findUnique({ where: { id: c.id } });
    expect(row).toEqual({ ...c, scope: "openid offline_access", resources: "https://api.test/one urn:example:two", amr: "pwd otp mfa", createdAt: recent(), consumedAt: null });
    expect(row!.createdAt.getTime()).toBeGreaterThanOrEqual(before - 1);

    const bare = newCode({ sessionId: null, redirectUriGiven: false, scope: [], resources: [], nonce: null, codeChallenge: null, codeChallengeMethod: null, amr: [] });
    await stores.codes.create(bare);
    expect(await t.db.authorizationCode.findUnique({ where: { id: bare.id } })).toEqual({ ...bare, scope: "", resources: "", amr: "", createdAt: recent(), consumedAt: null });

    const now = at(1000);
    expect(await stores.tokens.redeemCode(c.id, now, access(c.grantId), null)).toBe(true);
    expect((await t.db.authorizationCode.findUnique({ where: { id: c.id } }))?.consumedAt).toEqual(now);
  });

  it("AccessToken and RefreshToken: redeemCode, rotateRefresh, recordAccess", async () => {
    const c = newCode();
    await stores.codes.create(c);
    const a = access(c.grantId);
    const r = refresh(c.grantId);
    const now = at(1000);
    expect(await stores.tokens.redeemCode(c.id, now, a, r)).toBe(true);
    expect(await t.db.accessToken.findUnique({ where: { jti: a.jti } })).toEqual({ ...a, scope: "openid offline_access", createdAt: now, revokedAt: null });
    const first = await t.db.refreshToken.findUnique({ where: { tokenHash: r.tokenHash } });
    const fresh = { rotatedAt: null, revokedAt: null, successorId: null, replay: null, replayCount: 0 };
    expect(first).toEqual({ ...r, id: expect.stringMatching(V7), scope: "openid offline_access", resources: "https://api.test/one", amr: "pwd otp mfa", createdAt: now, ...fresh });

    const later = at(2000);
    const a2 = access(c.grantId);
    const r2 = refresh(c.grantId);
    expect(await stores.tokens.rotateRefresh(first!.id, later, a2, r2, "sealed-response")).toBe(true);
    const second = await t.db.refreshToken.findUnique({ where: { tokenHash: r2.tokenHash } });
    expect(second).toEqual({
      ...r2, id: expect.stringMatching(V7), scope: "openid offline_access", resources: "https://api.test/one", amr: "pwd otp mfa", createdAt: later, ...fresh, replay: "sealed-response",
    });
    expect(await t.db.refreshToken.findUnique({ where: { id: first!.id } })).toMatchObject({ rotatedAt: later, successorId: second!.id, replay: null });
    // The replay claim (a RETURNING update) counts on the successor and returns its column.
    expect(await stores.tokens.claimReplay(first!.id, new Date(later.getTime() - 1), 2)).toBe("sealed-response");
    expect((await t.db.refreshToken.findUnique({ where: { id: second!.id } }))?.replayCount).toBe(1);
    // Rotating the successor drops the response it carried.
    const third = new Date(later.getTime() + 1000);
    expect(await stores.tokens.rotateRefresh(second!.id, third, access(c.grantId), refresh(c.grantId), null)).toBe(true);
    expect(await t.db.refreshToken.findUnique({ where: { id: second!.id } })).toMatchObject({ rotatedAt: third, replay: null, replayCount: 1 });
    expect(await t.db.accessToken.findUnique({ where: { jti: a2.jti } })).toEqual({ ...a2, scope: "openid offline_access", createdAt: later, revokedAt: null });

    const cc = access(null, { userId: null, scope: [] });
    expect(await stores.tokens.recordAccess(cc)).toBe(true);
    expect(await t.db.accessToken.findUnique({ where: { jti: cc.jti } })).toEqual({ ...cc, scope: "", createdAt: recent(), revokedAt: null });
  });

  it("AuditEvent: the events written with the tokens", async () => {
    const c = newCode();
    await stores.codes.create(c);
    const a = access(c.grantId);
    const now = at(1000);
    await stores.tokens.redeemCode(c.id, now, a, refresh(c.grantId));
    const cc = access(null, { userId: null });
    await stores.tokens.recordAccess(cc);
    const events = await t.db.auditEvent.findMany({ where: { clientId: clientRowId, type: "token.issued" } });
    const byJti = (jti: string) => events.find((e) => e.data?.includes(jti));
    expect(byJti(a.jti)).toEqual({
      id: expect.stringMatching(V7),
      createdAt: now,
      type: "token.issued",
      actorId: userId,
      subjectId: userId,
      clientId: clientRowId,
      ip: null,
      data: JSON.stringify({ grant_type: "authorization_code", jti: a.jti, scope: "openid offline_access", refresh_token_issued: true }),
    });
    expect(byJti(cc.jti)).toEqual({
      id: expect.stringMatching(V7),
      createdAt: recent(),
      type: "token.issued",
      actorId: null,
      subjectId: null,
      clientId: clientRowId,
      ip: null,
      data: JSON.stringify({ grant_type: "client_credentials", jti: cc.jti, scope: "openid offline_access", refresh_token_issued: false }),
    });
  });
});
