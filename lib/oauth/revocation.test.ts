// Revocation (RFC 7009): what is revoked, and that the answer never differs.
import { beforeEach, describe, expect, it } from "vitest";
import { basicAuth, createWorld, type World } from "@test/token-world";
import { revoke } from "./revocation";
import type { OAuthClient, OAuthUser } from "./types";

const params = (o: Record<string, string>) => new Map(Object.entries(o));

describe("revoke", () => {
  let w: World;
  let app: OAuthClient;
  let other: OAuthClient;
  let alice: OAuthUser;
  const asApp = (token: string, extra: Record<string, string> = {}) =>
    revoke(w.deps, params({ token, ...extra }), basicAuth("app", "app-secret"));
  const revokedJtis = () => [...w.access.values()].filter((a) => a.revokedAt).map((a) => a.jti);

  beforeEach(() => {
    w = createWorld();
    app = w.addClient({ clientId: "app" }, "app-secret");
    other = w.addClient({ clientId: "other" }, "other-secret");
    alice = w.addUser({ id: "u-alice", email: "alice@example.com" });
  });

  it("a refresh token revokes its whole grant: the family and its access tokens (§2.1)", async () => {
    const r1 = w.issueRefresh({ client: app, user: alice, scope: ["openid"], grantId: "g1" });
    w.issueRefresh({ client: app, user: alice, scope: ["openid"], grantId: "g1" });
    await w.issueAccess({ client: app, user: alice, scope: ["openid"], grantId: "g1" });
    await w.issueAccess({ client: app, user: alice, scope: ["openid"], grantId: "g-other" });
    await asApp(r1);
    expect(w.calls.revokeGrant).toEqual(["g1"]);
    expect([...w.refresh.values()].every((r) => r.revokedAt)).toBe(true);
    expect([...w.access.values()].map((a) => [a.grantId, a.revokedAt !== null])).toEqual([
      ["g1", true],
      ["g-other", false],
    ]);
    expect(w.audit).toEqual([
      { type: "token.revoked", subjectId: "u-alice", clientId: app.id, data: { token_type: "refresh_token", grant_id: "g1" } },
    ]);
    expect(JSON.stringify(w.audit)).not.toContain(r1);
  });

  it("an access token revokes that token only", async () => {
    const a = await w.issueAccess({ client: app, user: alice, scope: ["openid"], grantId: "g1" });
    await w.issueAccess({ client: app, user: alice, scope: ["openid"], grantId: "g1" });
    const [jti] = [...w.access.keys()];
    await asApp(a);
    expect(w.calls).toEqual({ revokeGrant: [], revokeAccess: [jti] });
    expect(revokedJtis()).toEqual([jti]);
    expect(w.audit).toEqual([
      { type: "token.revoked", subjectId: "u-alice", clientId: app.id, data: { token_type: "access_token", jti: jti! } },
    ]);
  });

  it("the hint only orders the search; a wrong or unknown hint still revokes", async () => {
    const r = w.issueRefresh({ client: app, user: alice, scope: ["openid"], grantId: "g1" });
    const a = await w.issueAccess({ client: app, user: alice, scope: ["openid"], grantId: "g2" });
    await asApp(r, { token_type_hint: "access_token" });
    await asApp(a, { token_type_hint: "refresh_token" });
    await asApp(a, { token_type_hint: "something_else" });
    expect(w.calls.revokeGrant).toEqual(["g1"]);
    expect(w.calls.revokeAccess).toHaveLength(1); // the second time it was already revoked
  });

  it("another client's tokens are left alone, and the answer is the same", async () => {
    const r = w.issueRefresh({ client: other, user: alice, scope: ["openid"], grantId: "g1" });
    const a = await w.issueAccess({ client: other, user: alice, scope: ["openid"], grantId: "g1" });
    await expect(asApp(r)).resolves.toBeUndefined();
    await expect(asApp(a)).resolves.toBeUndefined();
    expect(w.calls).toEqual({ revokeGrant: [], revokeAccess: [] });
    expect(w.audit).toEqual([]);
  });

  it("unknown, malformed and expired tokens: nothing to do, no error (§2.2)", async () => {
    const a = await w.issueAccess({ client: app, user: alice, scope: ["openid"] });
    w.advance(601);
    for (const t of ["unknown", "a.b.c", a]) await expect(asApp(t)).resolves.toBeUndefined();
    expect(w.calls).toEqual({ revokeGrant: [], revokeAccess: [] });
  });

  it("requires token", async () => {
    await expect(revoke(w.deps, params({}), basicAuth("app", "app-secret"))).rejects.toMatchObject({ error: "invalid_request", status: 400 });
  });

  it("requires client authentication", async () => {
    await expect(revoke(w.deps, params({ token: "x" }), null)).rejects.toMatchObject({ error: "invalid_client", status: 401 });
    await expect(revoke(w.deps, params({ token: "x" }), basicAuth("app", "nope"))).rejects.toMatchObject({ error: "invalid_client", status: 401 });
    await expect(revoke(w.deps, params({ token: "x", client_id: "app" }), null)).rejects.toMatchObject({ error: "invalid_client" });
  });

  it("public clients authenticate with client_id alone and revoke their own tokens", async () => {
    const spa = w.addClient({ clientId: "spa" });
    const r = w.issueRefresh({ client: spa, user: alice, scope: ["openid"], grantId: "g-spa" });
    await revoke(w.deps, params({ token: r, client_id: "spa" }), null);
    expect(w.calls.revokeGrant).toEqual(["g-spa"]);
    await expect(revoke(w.deps, params({ token: r, client_id: "spa", client_secret: "guess" }), null)).rejects.toMatchObject({
      error: "invalid_client",
    });
  });
});
