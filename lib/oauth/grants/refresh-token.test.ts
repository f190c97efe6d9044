// The refresh_token grant (RFC 6749 §6) with rotation and reuse detection (RFC 9700 §4.14.2):
// one test per rule, each with the exact error.
import { decodeJwt } from "jose";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { InvalidGrant, InvalidRequest, InvalidScope, type OAuthError, UnauthorizedClient } from "../errors";
import { ISSUER, LIFETIMES, makeClient, makeUser, params, rejectionOf, testDeps, type TestDeps } from "@test/oauth-fixtures";
import type { OAuthClient, OAuthUser, RefreshRecord } from "../types";
import { refreshTokenGrant } from "./refresh-token";
import { sealResponse } from "./refresh-replay";
import { randomToken } from "../../crypto/tokens";

const HOUR = 3600_000;

let t: TestDeps;
let client: OAuthClient;
let user: OAuthUser;

beforeEach(async () => {
  t = await testDeps();
  client = t.stores.addClient(makeClient({ secret: "s3cret" }));
  user = t.stores.addUser(makeUser());
});

type RefreshInput = Omit<RefreshRecord, "id" | "rotatedAt" | "revokedAt" | "createdAt" | "userActive" | "user"> & Partial<Pick<RefreshRecord, "rotatedAt" | "revokedAt">>;

/** A current refresh token, as a redemption an hour ago would have stored it. */
function issueRefresh(overrides: Partial<RefreshInput> = {}) {
  const now = t.clock.now().getTime();
  const grantId = overrides.grantId ?? crypto.randomUUID();
  const { token, id } = t.stores.addRefresh({
    grantId,
    clientId: client.id,
    userId: user.id,
    sessionId: "session-1",
    scope: ["openid", "profile", "offline_access"],
    authTime: new Date(now - HOUR),
    expiresAt: new Date(now + 2 * HOUR),
    absoluteExpiresAt: new Date(now + 20 * 24 * HOUR),
    ...overrides,
  });
  return { token, id, grantId };
}

const refresh = (token: string, extra: Record<string, string> = {}, as: OAuthClient = client) =>
  refreshTokenGrant(t.deps, as, params({ grant_type: "refresh_token", refresh_token: token, ...extra }));

async function expectRejected(p: Promise<unknown>, cls: abstract new (...args: never[]) => OAuthError, error: string, description: string) {
  const e = await rejectionOf(p);
  expect(e).toBeInstanceOf(cls);
  const err = e as OAuthError;
  expect({ error: err.error, status: err.status, description: err.description }).toEqual({ error, status: 400, description });
}

const invalidGrant = (p: Promise<unknown>, description: string) => expectRejected(p, InvalidGrant, "invalid_grant", description);

function expectFamilyRevoked(grantId: string) {
  expect(t.stores.refreshRowsOfGrant(grantId).map((r) => r.revokedAt)).toEqual(t.stores.refreshRowsOfGrant(grantId).map(() => t.clock.now()));
  expect(t.stores.accessRowsOfGrant(grantId).every((a) => a.revokedAt?.getTime() === t.clock.now().getTime())).toBe(true);
}

/**
 * The next refresh reads `token`'s record, then another refresh with it runs to the end before
 * this one goes on: it loses the rotation race. `result`: the winner's.
 */
function raceAgainst(token: string): { result: Promise<unknown> } {
  const find = t.stores.tokens.findRefreshByHash;
  const race: { result: Promise<unknown> } = { result: Promise.resolve(null) };
  vi.spyOn(t.stores.tokens, "findRefreshByHash").mockImplementationOnce(async (hash) => {
    const snapshot = await find(hash);
    race.result = refresh(token);
    await race.result;
    return snapshot;
  });
  return race;
}

function expectNothingIssued() {
  expect(t.stores.accessRows.size).toBe(0);
  expect(t.stores.refreshRows.size).toBe(1);
}

describe("rotation", () => {
  it("issues a new refresh token, marks the old one rotated, and records the successor in the same family", async () => {
    const old = issueRefresh();
    const res = await refresh(old.token);
    expect(Object.keys(res).sort()).toEqual(["access_token", "expires_in", "id_token", "refresh_token", "scope", "token_type"]);
    expect(res).toMatchObject({ token_type: "Bearer", expires_in: LIFETIMES.accessToken, scope: "openid profile offline_access" });
    expect(res.refresh_token).not.toBe(old.token);

    expect(t.stores.refreshRows.get(old.id)).toMatchObject({ rotatedAt: t.clock.now(), revokedAt: null });
    const next = t.stores.refreshRowOf(res.refresh_token!);
    expect(next).toMatchObject({
      grantId: old.grantId,
      clientId: client.id,
      userId: user.id,
      sessionId: "session-1",
      scope: ["openid", "profile", "offline_access"],
      rotatedAt: null,
      revokedAt: null,
    });
    const at = await t.keys.verify(res.access_token, { typ: "at+jwt", audience: ISSUER });
    expect(t.stores.accessRowsOfGrant(old.grantId).map((a) => a.jti)).toEqual([at.jti]);
  });

  it("the successor can be used in turn", async () => {
    const first = await refresh(issueRefresh().token);
    t.clock.advance(60);
    await expect(refresh(first.refresh_token!)).resolves.toMatchObject({ token_type: "Bearer" });
  });

  it("the successor keeps the family's absolute expiry; its idle expiry restarts from now", async () => {
    const absolute = new Date(t.clock.now().getTime() + 20 * 24 * HOUR);
    const old = issueRefresh({ absoluteExpiresAt: absolute });
    t.clock.advance(1800);
    const res = await refresh(old.token);
    expect(t.stores.refreshRowOf(res.refresh_token!)).toMatchObject({
      absoluteExpiresAt: absolute,
      expiresAt: new Date(t.clock.now().getTime() + LIFETIMES.refreshIdle * 1000),
    });
  });

  it("the successor's idle expiry never passes the absolute expiry, which then ends the family", async () => {
    const absolute = new Date(t.clock.now().getTime() + 90 * 60_000); // sooner than now + idle
    const old = issueRefresh({ absoluteExpiresAt: absolute, expiresAt: new Date(t.clock.now().getTime() + 60 * 60_000) });
    t.clock.advance(45 * 60);
    const res = await refresh(old.token);
    expect(t.stores.refreshRowOf(res.refresh_token!)?.expiresAt).toEqual(absolute);
    t.clock.set(absolute);
    await invalidGrant(refresh(res.refresh_token!), "The refresh token has expired");
  });

  it("the new access token keeps the original auth_time; the ID token has no nonce", async () => {
    const authTime = new Date("2030-01-15T08:00:00.000Z");
    const res = await refresh(issueRefresh({ authTime }).token);
    expect(decodeJwt(res.access_token)).toMatchObject({ sub: user.id, auth_time: authTime.getTime() / 1000 });
    const id = decodeJwt(res.id_token!);
    expect(id).toMatchObject({ sub: user.id, aud: client.clientId, auth_time: authTime.getTime() / 1000, sid: "session-1" });
    expect(id).not.toHaveProperty("nonce");
  });

  it("the refreshed ID token keeps the original amr, acr and auth_time, through every rotation (OIDC Core §12.2)", async () => {
    const authTime = new Date("2030-01-15T08:00:00.000Z");
    const first = await refresh(issueRefresh({ authTime, amr: ["hwk", "user", "mfa"] }).token);
    const second = await refresh(first.refresh_token!);
    for (const res of [first, second]) {
      expect(decodeJwt(res.id_token!)).toMatchObject({ acr: "phr", amr: ["hwk", "user", "mfa"], auth_time: authTime.getTime() / 1000 });
      expect(decodeJwt(res.access_token)).toMatchObject({ acr: "phr", amr: ["hwk", "user", "mfa"], auth_time: authTime.getTime() / 1000 });
      expect(t.stores.refreshRowOf(res.refresh_token!)?.amr).toEqual(["hwk", "user", "mfa"]);
    }
  });

  it("the refreshed ID token carries the claims of this request's scope, from the user as now (OIDC Core §12.2)", async () => {
    const r = issueRefresh({ scope: ["openid", "profile", "email", "offline_access"] });
    const updatedAt = new Date("2030-07-08T09:10:11.000Z");
    t.stores.addUser({ ...user, name: "New Name", emailVerified: true, updatedAt });
    const id = decodeJwt((await refresh(r.token, { scope: "openid profile" })).id_token!);
    expect(id).toMatchObject({ name: "New Name", updated_at: updatedAt.getTime() / 1000 });
    expect(id).not.toHaveProperty("email");
    expect(id).not.toHaveProperty("email_verified");
  });

  it("a client registered without ID-token user claims: the refreshed ID token has none", async () => {
    client = t.stores.addClient({ ...client, idTokenUserClaims: false });
    const id = decodeJwt((await refresh(issueRefresh({ scope: ["openid", "profile", "email", "offline_access"] }).token)).id_token!);
    expect(Object.keys(id).sort()).toEqual(["acr", "amr", "at_hash", "aud", "auth_time", "azp", "exp", "iat", "iss", "sid", "sub"]);
  });

  it("no ID token when the grant has no openid scope", async () => {
    const res = await refresh(issueRefresh({ scope: ["profile", "offline_access"] }).token);
    expect(res).not.toHaveProperty("id_token");
  });
});

describe("RFC 6749 §6 / RFC 9700 §4.14.2 rules", () => {
  it("a client not registered for refresh_token -> unauthorized_client", async () => {
    const noRefresh = t.stores.addClient(makeClient({ grantTypes: ["authorization_code"] }));
    const { token } = issueRefresh({ clientId: noRefresh.id });
    await expectRejected(refresh(token, {}, noRefresh), UnauthorizedClient, "unauthorized_client", "This client may not use the refresh_token grant");
    expectNothingIssued();
  });

  it("no refresh_token parameter -> invalid_request", async () => {
    await expectRejected(
      refreshTokenGrant(t.deps, client, params({ grant_type: "refresh_token" })),
      InvalidRequest,
      "invalid_request",
      "refresh_token is required",
    );
  });

  it("an unknown refresh token -> invalid_grant", async () => {
    issueRefresh();
    await invalidGrant(refresh("not-a-token-we-issued"), "The refresh token is invalid");
    expectNothingIssued();
  });

  it("grace off (0): reuse of a rotated token -> invalid_grant, the whole family revoked, the reuse audited", async () => {
    t.deps.refreshReuseGrace = { seconds: 0, max: 5 };
    const old = issueRefresh();
    const first = await refresh(old.token);
    expect(t.stores.refreshRowOf(first.refresh_token!)?.replay).toBeNull(); // nothing sealed, nothing kept
    t.clock.advance(10);
    const revoke = vi.spyOn(t.stores.tokens, "revokeOnReuse");

    await invalidGrant(refresh(old.token), "The refresh token was already used");
    expect(revoke).toHaveBeenCalledExactlyOnceWith(old.grantId, t.clock.now(), { userId: user.id, clientId: client.id });
    expectFamilyRevoked(old.grantId);
    // The first rotation's token.refreshed (written by the store), then the reuse.
    expect(t.stores.auditEvents.map((e) => e.type)).toEqual(["token.refreshed", "refresh.reuse_detected"]);
    expect(t.stores.auditEvents.at(-1)).toEqual({ type: "refresh.reuse_detected", subjectId: user.id, clientId: client.id });
    // The attacker's or the client's newest token is dead too.
    await invalidGrant(refresh(first.refresh_token!), "The refresh token is invalid");
  });

  it("a revoked token -> invalid_grant", async () => {
    const { token } = issueRefresh({ revokedAt: new Date(t.clock.now().getTime() - 1000) });
    await invalidGrant(refresh(token), "The refresh token is invalid");
    expectNothingIssued();
  });

  it("past its idle expiry -> invalid_grant (expired at exactly expiresAt)", async () => {
    const { token } = issueRefresh({ expiresAt: t.clock.now() });
    await invalidGrant(refresh(token), "The refresh token has expired");
    expectNothingIssued();
  });

  it("past its absolute expiry -> invalid_grant, even if the idle expiry is later", async () => {
    const { token } = issueRefresh({ expiresAt: new Date(t.clock.now().getTime() + HOUR), absoluteExpiresAt: t.clock.now() });
    await invalidGrant(refresh(token), "The refresh token has expired");
    expectNothingIssued();
  });

  it("another client's token -> invalid_grant, and the token stays usable by its client", async () => {
    const other = t.stores.addClient(makeClient({ secret: "other" }));
    const { token, id } = issueRefresh();
    await invalidGrant(refresh(token, {}, other), "The refresh token is invalid");
    expectNothingIssued();
    expect(t.stores.refreshRows.get(id)).toMatchObject({ rotatedAt: null, revokedAt: null });
  });

  it("the user disabled since -> invalid_grant", async () => {
    const { token } = issueRefresh();
    t.stores.addUser({ ...user, disabled: true });
    await invalidGrant(refresh(token), "The user of this grant is no longer active");
    expectNothingIssued();
  });

  it("grace off (0): losing the rotation race -> invalid_grant and the family revoked", async () => {
    t.deps.refreshReuseGrace = { seconds: 0, max: 5 };
    const old = issueRefresh();
    const winner = raceAgainst(old.token);
    const revoke = vi.spyOn(t.stores.tokens, "revokeOnReuse");
    await invalidGrant(refresh(old.token), "The refresh token was already used");
    await expect(winner.result).resolves.toMatchObject({ token_type: "Bearer" });
    expect(revoke).toHaveBeenCalledExactlyOnceWith(old.grantId, t.clock.now(), { userId: user.id, clientId: client.id });
    expect(t.stores.refreshRowsOfGrant(old.grantId).every((r) => r.revokedAt !== null)).toBe(true);
    expect(t.stores.auditEvents.filter((e) => e.type === "refresh.reuse_detected")).toHaveLength(1);
  });
});

describe("a retry with the just-rotated token (grace window, ./refresh-replay.ts)", () => {
  const reuseEvents = () => t.stores.auditEvents.filter((e) => e.type === "refresh.reuse_detected");

  it("within the window, same client, successor unused: the same response, the family live, nothing new stored", async () => {
    const old = issueRefresh();
    const first = await refresh(old.token);
    t.clock.advance(59.999);
    const retry = await refresh(old.token);
    expect(retry).toEqual({ ...first, expires_in: LIFETIMES.accessToken - 60 }); // 59.999 s later, floored
    expect(t.stores.refreshRowsOfGrant(old.grantId)).toHaveLength(2);
    expect(t.stores.accessRowsOfGrant(old.grantId)).toHaveLength(1);
    expect(t.stores.refreshRowsOfGrant(old.grantId).every((r) => r.revokedAt === null)).toBe(true);
    expect(reuseEvents()).toEqual([]);
    // The successor works, once; the chain goes on.
    await expect(refresh(retry.refresh_token!)).resolves.toMatchObject({ token_type: "Bearer" });
  });

  it("expires_in is counted again from the stored expiry at each retry (RFC 6749 §5.1)", async () => {
    const old = issueRefresh();
    const first = await refresh(old.token);
    expect(first.expires_in).toBe(LIFETIMES.accessToken);
    t.clock.advance(12);
    expect((await refresh(old.token)).expires_in).toBe(LIFETIMES.accessToken - 12);
    t.clock.advance(30);
    expect((await refresh(old.token)).expires_in).toBe(LIFETIMES.accessToken - 42);
  });

  it("at exactly the window's end -> invalid_grant, the family revoked, the reuse audited", async () => {
    const old = issueRefresh();
    const first = await refresh(old.token);
    t.clock.advance(60);
    await invalidGrant(refresh(old.token), "The refresh token was already used");
    expectFamilyRevoked(old.grantId);
    expect(reuseEvents()).toEqual([{ type: "refresh.reuse_detected", subjectId: user.id, clientId: client.id }]);
    await invalidGrant(refresh(first.refresh_token!), "The refresh token is invalid");
  });

  it("answered `max` times; the next retry -> invalid_grant and the family revoked", async () => {
    t.deps.refreshReuseGrace = { seconds: 60, max: 3 };
    const old = issueRefresh();
    const first = await refresh(old.token);
    for (let i = 0; i < 3; i++) expect((await refresh(old.token)).refresh_token).toBe(first.refresh_token);
    await invalidGrant(refresh(old.token), "The refresh token was already used");
    expectFamilyRevoked(old.grantId);
    expect(reuseEvents()).toHaveLength(1);
  });

  it("after the successor was used -> invalid_grant, the whole family (the newest token too) revoked, audited once", async () => {
    const old = issueRefresh();
    const first = await refresh(old.token);
    t.clock.advance(5);
    const second = await refresh(first.refresh_token!);
    expect(t.stores.refreshRowOf(first.refresh_token!)?.replay).toBeNull(); // dropped when it was used
    t.clock.advance(5);
    await invalidGrant(refresh(old.token), "The refresh token was already used");
    expectFamilyRevoked(old.grantId);
    expect(t.stores.refreshRowsOfGrant(old.grantId)).toHaveLength(3);
    expect(reuseEvents()).toHaveLength(1);
    await invalidGrant(refresh(second.refresh_token!), "The refresh token is invalid");
  });

  it("from another client -> invalid_grant, and the family revoked: a rotated token in other hands has leaked (RFC 9700 §4.14.2)", async () => {
    const other = t.stores.addClient(makeClient({ secret: "other" }));
    const old = issueRefresh();
    const first = await refresh(old.token);
    await invalidGrant(refresh(old.token, {}, other), "The refresh token is invalid");
    expectFamilyRevoked(old.grantId);
    expect(reuseEvents()).toEqual([{ type: "refresh.reuse_detected", subjectId: user.id, clientId: other.id }]);
    await invalidGrant(refresh(first.refresh_token!), "The refresh token is invalid");
  });

  it("a revoked family: the rotated token -> invalid_grant, nothing replayed", async () => {
    const old = issueRefresh();
    await refresh(old.token);
    await t.stores.tokens.revokeGrant(old.grantId, t.clock.now());
    await invalidGrant(refresh(old.token), "The refresh token is invalid");
  });

  it("the stored response is sealed: not readable from the row, and a response sealed under another token is refused", async () => {
    const old = issueRefresh();
    const first = await refresh(old.token);
    const successor = t.stores.refreshRowOf(first.refresh_token!)!;
    const stored = Buffer.from(successor.replay!, "base64url").toString("latin1");
    for (const secret of [first.access_token, first.refresh_token!, first.id_token!]) expect(stored).not.toContain(secret.slice(-20));
    // A row altered to hold a response sealed with another token (or for another row): refused.
    successor.replay = sealResponse(randomToken(32), old.id, { ...first, refresh_token: "forged" }, t.clock.now());
    await invalidGrant(refresh(old.token), "The refresh token was already used");
    expectFamilyRevoked(old.grantId);
  });

  it("losing the rotation race: the winner's response (one successor, one chain)", async () => {
    const old = issueRefresh();
    const winner = raceAgainst(old.token);
    const loser = await refresh(old.token);
    expect(loser).toEqual(await winner.result);
    expect(t.stores.refreshRowsOfGrant(old.grantId)).toHaveLength(2);
    expect(t.stores.accessRowsOfGrant(old.grantId)).toHaveLength(1);
    expect(reuseEvents()).toEqual([]);
  });

  it("requests that lost the rotation race are not counted: more than `max` of them all succeed; a retry after is counted", async () => {
    t.deps.refreshReuseGrace = { seconds: 60, max: 1 };
    const old = issueRefresh();
    const first = raceAgainst(old.token);
    await refresh(old.token); // lost the race: not counted
    expect((await refresh(old.token)).refresh_token).toBe(((await first.result) as { refresh_token: string }).refresh_token); // a retry: counted (1 of 1)
    await invalidGrant(refresh(old.token), "The refresh token was already used");
  });

  it("parallel refreshes of one token by its client all get the same successor", async () => {
    const old = issueRefresh();
    const results = await Promise.all(Array.from({ length: 12 }, () => refresh(old.token)));
    expect(new Set(results.map((r) => r.refresh_token)).size).toBe(1);
    expect(t.stores.refreshRowsOfGrant(old.grantId).filter((r) => r.rotatedAt === null && r.revokedAt === null)).toHaveLength(1);
  });
});

describe("scope (RFC 6749 §6)", () => {
  it("may be narrowed: the access token gets the narrower scope, the successor keeps the original", async () => {
    const { token } = issueRefresh();
    const res = await refresh(token, { scope: "profile" });
    expect(res.scope).toBe("profile");
    expect(decodeJwt(res.access_token).scope).toBe("profile");
    expect(res).not.toHaveProperty("id_token");
    expect(t.stores.refreshRowOf(res.refresh_token!)?.scope).toEqual(["openid", "profile", "offline_access"]);
  });

  it("omitted: the original scope", async () => {
    const res = await refresh(issueRefresh().token);
    expect(res.scope).toBe("openid profile offline_access");
  });

  it("widening -> invalid_scope, and the token is not rotated", async () => {
    const { token, id } = issueRefresh();
    await expectRejected(refresh(token, { scope: "openid email" }), InvalidScope, "invalid_scope", "The requested scope exceeds the scope originally granted");
    expectNothingIssued();
    expect(t.stores.refreshRows.get(id)?.rotatedAt).toBeNull();
  });
});
