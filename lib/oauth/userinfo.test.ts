// UserInfo (OIDC Core §5.3) over RFC 6750 bearer tokens: token extraction and every refusal.
import { beforeEach, describe, expect, it } from "vitest";
import { generateKeyPair, SignJWT, decodeProtectedHeader } from "jose";
import { createWorld, tamper, type World } from "@test/token-world";
import { bearerToken, userinfo } from "./userinfo";
import type { OAuthClient, OAuthUser } from "./types";

const invalidToken = { error: "invalid_token", status: 401 };

describe("bearerToken (RFC 6750 §2)", () => {
  it("reads the Authorization header, whatever the scheme's case", () => {
    expect(bearerToken("Bearer abc.def-ghi_~+/==", null)).toBe("abc.def-ghi_~+/==");
    expect(bearerToken("bearer abc", null)).toBe("abc");
    expect(bearerToken("BEARER   abc  ", null)).toBe("abc");
  });
  it("reads the form body token", () => {
    expect(bearerToken(null, "abc")).toBe("abc");
  });
  it("finds no token without a Bearer header (another scheme is not a bearer token)", () => {
    expect(bearerToken(null, null)).toBeNull();
    expect(bearerToken("Basic dXNlcjpwdw==", null)).toBeNull();
    expect(bearerToken("Bearerabc", null)).toBeNull();
  });
  it("refuses a malformed Bearer header", () => {
    for (const h of ["Bearer", "Bearer ", "Bearer a b", "Bearer a,b"]) {
      expect(() => bearerToken(h, null)).toThrow(expect.objectContaining({ error: "invalid_request", status: 400 }));
    }
  });
  it("refuses a token sent two ways", () => {
    expect(() => bearerToken("Bearer abc", "abc")).toThrow(expect.objectContaining({ error: "invalid_request" }));
  });
});

describe("userinfo", () => {
  let w: World;
  let app: OAuthClient;
  let alice: OAuthUser;

  beforeEach(() => {
    w = createWorld();
    app = w.addClient({ clientId: "app" }, "app-secret");
    alice = w.addUser({ id: "u-alice", email: "alice@example.com", name: "Alice", emailVerified: true, updatedAt: new Date("2029-06-01T00:00:00Z") });
  });

  it("openid only: sub", async () => {
    const t = await w.issueAccess({ client: app, user: alice, scope: ["openid"] });
    expect(await userinfo(w.deps, t)).toEqual({ sub: "u-alice" });
  });

  it("email scope: email and email_verified", async () => {
    const t = await w.issueAccess({ client: app, user: alice, scope: ["openid", "email"] });
    expect(await userinfo(w.deps, t)).toEqual({ sub: "u-alice", email: "alice@example.com", email_verified: true });
  });

  it("profile scope: name and updated_at (seconds)", async () => {
    const t = await w.issueAccess({ client: app, user: alice, scope: ["openid", "profile"] });
    expect(await userinfo(w.deps, t)).toEqual({ sub: "u-alice", name: "Alice", updated_at: 1_874_966_400 });
  });

  it("profile scope without a name: no name claim", async () => {
    const bob = w.addUser({ id: "u-bob", email: "bob@example.com", updatedAt: new Date("2029-06-01T00:00:00Z") });
    const t = await w.issueAccess({ client: app, user: bob, scope: ["openid", "profile", "email"] });
    expect(await userinfo(w.deps, t)).toEqual({ sub: "u-bob", updated_at: 1_874_966_400, email: "bob@example.com", email_verified: false });
  });

  it("works with RS256 access tokens too", async () => {
    const rs = w.addClient({ clientId: "rs", signingAlg: "RS256" }, "s");
    const t = await w.issueAccess({ client: rs, user: alice, scope: ["openid"] });
    expect(decodeProtectedHeader(t).alg).toBe("RS256");
    expect(await userinfo(w.deps, t)).toEqual({ sub: "u-alice" });
  });

  it("no openid scope: insufficient_scope (403)", async () => {
    const t = await w.issueAccess({ client: app, user: alice, scope: ["email"] });
    await expect(userinfo(w.deps, t)).rejects.toMatchObject({ error: "insufficient_scope", status: 403 });
  });

  it("refuses a token whose signature does not match", async () => {
    const t = await w.issueAccess({ client: app, user: alice, scope: ["openid"] });
    await expect(userinfo(w.deps, tamper(t))).rejects.toMatchObject(invalidToken);
  });

  it("refuses a token signed by a key that is not ours, even under our kid", async () => {
    const t = await w.issueAccess({ client: app, user: alice, scope: ["openid"] });
    const { privateKey } = await generateKeyPair("ES256");
    const forged = await new SignJWT({ iss: w.deps.issuer, sub: "u-alice", aud: w.deps.issuer, client_id: "app", scope: "openid", jti: "x" })
      .setProtectedHeader({ alg: "ES256", typ: "at+jwt", kid: decodeProtectedHeader(t).kid })
      .setIssuedAt()
      .setExpirationTime("5m")
      .sign(privateKey);
    await expect(userinfo(w.deps, forged)).rejects.toMatchObject(invalidToken);
  });

  it("refuses garbage", async () => {
    await expect(userinfo(w.deps, "not-a-jwt")).rejects.toMatchObject(invalidToken);
    await expect(userinfo(w.deps, "a.b.c")).rejects.toMatchObject(invalidToken);
  });

  it("refuses an expired token", async () => {
    const t = await w.issueAccess({ client: app, user: alice, scope: ["openid"] });
    w.advance(601);
    await expect(userinfo(w.deps, t)).rejects.toMatchObject(invalidToken);
  });

  it("refuses an ID token (typ JWT, aud = client) as an access token", async () => {
    const id = await w.issueIdToken({ client: app, user: alice });
    await expect(userinfo(w.deps, id)).rejects.toMatchObject(invalidToken);
  });

  it("refuses a token whose jti we have no record of", async () => {
    const t = await w.issueAccess({ client: app, user: alice, scope: ["openid"] });
    w.access.clear();
    await expect(userinfo(w.deps, t)).rejects.toMatchObject(invalidToken);
  });

  it("refuses a revoked token", async () => {
    const t = await w.issueAccess({ client: app, user: alice, scope: ["openid"] });
    for (const a of w.access.values()) a.revokedAt = w.deps.now();
    await expect(userinfo(w.deps, t)).rejects.toMatchObject(invalidToken);
  });

  it("refuses a token of a deleted or disabled user", async () => {
    const t = await w.issueAccess({ client: app, user: alice, scope: ["openid"] });
    alice.disabled = true;
    await expect(userinfo(w.deps, t)).rejects.toMatchObject(invalidToken);
    w.users.delete("u-alice");
    await expect(userinfo(w.deps, t)).rejects.toMatchObject(invalidToken);
  });

  it("refuses a token of a suspended client", async () => {
    const t = await w.issueAccess({ client: app, user: alice, scope: ["openid"] });
    app.suspended = true;
    await expect(userinfo(w.deps, t)).rejects.toMatchObject(invalidToken);
  });

  it("refuses a client_credentials token (no user)", async () => {
    const t = await w.issueAccess({ client: app, user: null, scope: ["openid"] });
    await expect(userinfo(w.deps, t)).rejects.toMatchObject(invalidToken);
  });
});
