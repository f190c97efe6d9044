// Introspection (RFC 7662): who may ask, and an exact answer for every kind of token.
import { beforeEach, describe, expect, it } from "vitest";
import { basicAuth, createWorld, tamper, type World } from "@test/token-world";
import { introspect } from "./introspection";
import type { OAuthClient, OAuthUser } from "./types";

const params = (o: Record<string, string>) => new Map(Object.entries(o));
const T0 = Date.parse("2030-01-01T00:00:00Z") / 1000;

describe("introspect", () => {
  let w: World;
  let app: OAuthClient;
  let other: OAuthClient;
  let spa: OAuthClient;
  let alice: OAuthUser;
  const ask = (token: string, extra: Record<string, string> = {}, auth = basicAuth("app", "app-secret")) =>
    introspect(w.deps, params({ token, ...extra }), auth);

  beforeEach(() => {
    w = createWorld();
    app = w.addClient({ clientId: "app" }, "app-secret");
    other = w.addClient({ clientId: "other" }, "other-secret");
    spa = w.addClient({ clientId: "spa" });
    alice = w.addUser({ id: "u-alice", email: "alice@example.com" });
  });

  describe("client authentication", () => {
    it("is required", async () => {
      await expect(introspect(w.deps, params({ token: "x" }), null)).rejects.toMatchObject({ error: "invalid_client", status: 401 });
    });
    it("refuses a wrong secret", async () => {
      await expect(ask("x", {}, basicAuth("app", "wrong"))).rejects.toMatchObject({ error: "invalid_client", status: 401, usedBasicAuth: true });
    });
    it("refuses public clients", async () => {
      await expect(introspect(w.deps, params({ token: "x", client_id: "spa" }), null)).rejects.toMatchObject({
        error: "invalid_client",
        status: 401,
      });
    });
    it("refuses client_secret_post from a client registered for client_secret_basic (RFC 7591 §2)", async () => {
      await expect(introspect(w.deps, params({ token: "x", client_id: "app", client_secret: "app-secret" }), null)).rejects.toMatchObject({
        error: "invalid_client",
        status: 401,
      });
    });
  });

  it("requires token", async () => {
    await expect(introspect(w.deps, params({}), basicAuth("app", "app-secret"))).rejects.toMatchObject({ error: "invalid_request", status: 400 });
  });

  it("describes an active access token, with when and how its user authenticated (RFC 9470 §6.2)", async () => {
    const t = await w.issueAccess({ client: app, user: alice, scope: ["openid", "email"], grantId: "g1" });
    const [jti] = [...w.access.keys()];
    expect(await ask(t)).toEqual({
      active: true,
      scope: "openid email",
      client_id: "app",
      sub: "u-alice",
      exp: T0 + 600,
      iat: T0,
      iss: "https://id.test",
      aud: "https://id.test",
      jti,
      token_type: "Bearer",
      username: "alice@example.com",
      auth_time: T0,
      acr: "http://schemas.openid.net/pape/policies/2007/06/multi-factor",
      amr: ["pwd", "otp", "mfa"],
    });
  });

  it("describes a client_credentials access token (no username, auth_time, acr or amr)", async () => {
    const t = await w.issueAccess({ client: app, user: null, scope: [] });
    expect(await ask(t)).toMatchObject({ active: true, sub: "app", client_id: "app", scope: "", token_type: "Bearer" });
    for (const claim of ["username", "auth_time", "acr", "amr"]) expect(await ask(t)).not.toHaveProperty(claim);
  });

  it("describes an active refresh token", async () => {
    const r = w.issueRefresh({ client: app, user: alice, scope: ["openid", "offline_access"], grantId: "g1" });
    w.advance(10);
    expect(await ask(r)).toEqual({
      active: true,
      scope: "openid offline_access",
      client_id: "app",
      sub: "u-alice",
      exp: T0 + 3600,
      iat: T0,
      iss: "https://id.test",
      token_type: "refresh_token",
    });
  });

  it("reports a refresh token's expiry capped by its absolute lifetime", async () => {
    const r = w.issueRefresh({ client: app, user: alice, scope: ["openid"], grantId: "g1" });
    for (const rec of w.refresh.values()) rec.absoluteExpiresAt = new Date((T0 + 100) * 1000);
    expect(await ask(r)).toMatchObject({ active: true, exp: T0 + 100 });
  });

  it("finds the token whatever the hint says, and ignores unknown hints", async () => {
    const a = await w.issueAccess({ client: app, user: alice, scope: ["openid"] });
    const r = w.issueRefresh({ client: app, user: alice, scope: ["openid"], grantId: "g1" });
    expect(await ask(a, { token_type_hint: "refresh_token" })).toMatchObject({ active: true, token_type: "Bearer" });
    expect(await ask(r, { token_type_hint: "access_token" })).toMatchObject({ active: true, token_type: "refresh_token" });
    expect(await ask(r, { token_type_hint: "id_token" })).toMatchObject({ active: true, token_type: "refresh_token" });
  });

  describe("says only active:false", () => {
    it("for garbage and forged tokens", async () => {
      const t = await w.issueAccess({ client: app, user: alice, scope: ["openid"] });
      expect(await ask("garbage")).toEqual({ active: false });
      expect(await ask(tamper(t))).toEqual({ active: false });
    });
    it("for an expired access token", async () => {
      const t = await w.issueAccess({ client: app, user: alice, scope: ["openid"] });
      w.advance(600);
      expect(await ask(t)).toEqual({ active: false });
    });
    it("for a revoked access token", async () => {
      const t = await w.issueAccess({ client: app, user: alice, scope: ["openid"] });
      for (const a of w.access.values()) a.revokedAt = w.deps.now();
      expect(await ask(t)).toEqual({ active: false });
    });
    it("for another client's access and refresh tokens", async () => {
      const a = await w.issueAccess({ client: other, user: alice, scope: ["openid"] });
      const r = w.issueRefresh({ client: other, user: alice, scope: ["openid"], grantId: "g2" });
      expect(await ask(a)).toEqual({ active: false });
      expect(await ask(r)).toEqual({ active: false });
    });
    it("for a token of a disabled user", async () => {
      const a = await w.issueAccess({ client: app, user: alice, scope: ["openid"] });
      const r = w.issueRefresh({ client: app, user: alice, scope: ["openid"], grantId: "g1" });
      alice.disabled = true;
      expect(await ask(a)).toEqual({ active: false });
      expect(await ask(r)).toEqual({ active: false });
    });
    it("for a rotated, revoked, idle-expired or absolutely expired refresh token", async () => {
      const r = w.issueRefresh({ client: app, user: alice, scope: ["openid"], grantId: "g1" });
      const [rec] = [...w.refresh.values()];
      rec!.rotatedAt = w.deps.now();
      expect(await ask(r)).toEqual({ active: false });
      rec!.rotatedAt = null;
      rec!.revokedAt = w.deps.now();
      expect(await ask(r)).toEqual({ active: false });
      rec!.revokedAt = null;
      expect(await ask(r)).toMatchObject({ active: true });
      w.advance(3600);
      expect(await ask(r)).toEqual({ active: false });
      rec!.expiresAt = new Date(w.deps.now().getTime() + 1000);
      rec!.absoluteExpiresAt = w.deps.now();
      expect(await ask(r)).toEqual({ active: false });
    });
  });

  it("a public client cannot learn anything even about its own token", async () => {
    const t = await w.issueAccess({ client: spa, user: alice, scope: ["openid"] });
    await expect(introspect(w.deps, params({ token: t, client_id: "spa" }), null)).rejects.toMatchObject({ error: "invalid_client" });
  });
});
