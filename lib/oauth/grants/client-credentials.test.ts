// The client_credentials grant (RFC 6749 §4.4): confidential clients only, no user scopes, an
// access token for the client itself, never a refresh or ID token.
import { decodeJwt } from "jose";
import { beforeEach, describe, expect, it } from "vitest";
import { InvalidClient, InvalidScope, type OAuthError, UnauthorizedClient } from "../errors";
import { ISSUER, LIFETIMES, makeClient, params, rejectionOf, testDeps, type TestDeps } from "@test/oauth-fixtures";
import type { OAuthClient } from "../types";
import { clientCredentialsGrant } from "./client-credentials";

let t: TestDeps;
let client: OAuthClient;

beforeEach(async () => {
  t = await testDeps();
  client = t.stores.addClient(
    makeClient({ secret: "s3cret", grantTypes: ["client_credentials"], scopes: ["openid", "profile", "email", "offline_access"] }),
  );
});

const grant = (extra: Record<string, string> = {}, as: OAuthClient = client) =>
  clientCredentialsGrant(t.deps, as, params({ grant_type: "client_credentials", ...extra }));

async function expectRejected(p: Promise<unknown>, cls: abstract new (...args: never[]) => OAuthError, error: string, description: string) {
  const e = await rejectionOf(p);
  expect(e).toBeInstanceOf(cls);
  const err = e as OAuthError;
  expect({ error: err.error, status: err.status, description: err.description }).toEqual({ error, status: 400, description });
  expect(t.stores.accessRows.size).toBe(0);
}

describe("client_credentials", () => {
  it("issues an access token for the client itself: exactly access_token, token_type, expires_in, scope", async () => {
    const res = await grant({ scope: "profile email" });
    expect(Object.keys(res).sort()).toEqual(["access_token", "expires_in", "scope", "token_type"]);
    expect(res).toMatchObject({ token_type: "Bearer", expires_in: LIFETIMES.accessToken, scope: "profile email" });
    const claims = await t.keys.verify(res.access_token, { typ: "at+jwt", audience: ISSUER });
    expect(claims).toMatchObject({ sub: client.clientId, client_id: client.clientId, scope: "profile email" });
    expect(claims).not.toHaveProperty("auth_time");
  });

  it("records the access token (for revocation and introspection)", async () => {
    const res = await grant({ scope: "profile" });
    const jti = decodeJwt(res.access_token).jti as string;
    expect(await t.stores.tokens.findAccess(jti)).toEqual({
      jti,
      grantId: null,
      clientId: client.id,
      userId: null,
      scope: ["profile"],
      expiresAt: new Date(t.clock.now().getTime() + LIFETIMES.accessToken * 1000),
      revokedAt: null,
    });
    expect(t.stores.accessRows.size).toBe(1);
  });

  it("a client deleted after it authenticated (another instance) -> 401 invalid_client, nothing recorded", async () => {
    t.stores.clientRows.delete(client.clientId);
    const e = (await rejectionOf(grant({ scope: "profile" }))) as OAuthError;
    expect(e).toBeInstanceOf(InvalidClient);
    expect({ error: e.error, status: e.status, basic: (e as InvalidClient).usedBasicAuth }).toEqual({ error: "invalid_client", status: 401, basic: true });
    expect(t.stores.accessRows.size).toBe(0);
  });

  it("never a refresh token or an ID token, and nothing in the refresh store", async () => {
    const res = await grant({ scope: "profile" });
    expect(res).not.toHaveProperty("refresh_token");
    expect(res).not.toHaveProperty("id_token");
    expect(t.stores.refreshRows.size).toBe(0);
  });

  it("a public client -> unauthorized_client, even if registered for the grant (§4.4: confidential only)", async () => {
    const pub = t.stores.addClient(makeClient({ tokenEndpointAuthMethod: "none", grantTypes: ["client_credentials"] }));
    await expectRejected(grant({}, pub), UnauthorizedClient, "unauthorized_client", "This client may not use the client_credentials grant");
  });

  it("a confidential client not registered for the grant -> unauthorized_client", async () => {
    const other = t.stores.addClient(makeClient({ secret: "x", grantTypes: ["authorization_code", "refresh_token"] }));
    await expectRejected(grant({}, other), UnauthorizedClient, "unauthorized_client", "This client may not use the client_credentials grant");
  });

  it.each([
    ["openid", "openid"],
    ["offline_access", "offline_access"],
    ["profile openid", "openid"],
    ["openid offline_access", "openid offline_access"],
  ])("user-only scope %j -> invalid_scope naming %j", async (scope, refused) => {
    await expectRejected(grant({ scope }), InvalidScope, "invalid_scope", `Scope not allowed for client_credentials: ${refused}`);
  });

  it("a scope the client is not registered for -> invalid_scope", async () => {
    const narrow = t.stores.addClient(makeClient({ secret: "x", grantTypes: ["client_credentials"], scopes: ["profile"] }));
    await expectRejected(grant({ scope: "profile email" }, narrow), InvalidScope, "invalid_scope", "Scope not allowed for client_credentials: email");
  });

  it("an unknown scope -> invalid_scope", async () => {
    await expectRejected(grant({ scope: "admin" }), InvalidScope, "invalid_scope", "Scope not allowed for client_credentials: admin");
  });
});
