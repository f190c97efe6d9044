// The token endpoint's dispatcher (RFC 6749 §3.2, §5.2): grant_type first, then client
// authentication, then the grant named.
import { decodeJwt } from "jose";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { InvalidClient, InvalidRequest, type OAuthError, UnauthorizedClient, UnsupportedGrantType } from "./errors";
import { s256 } from "./pkce";
import { basicAuth, LIFETIMES, makeClient, makeUser, params, REDIRECT_URI, rejectionOf, testDeps, type TestDeps } from "@test/oauth-fixtures";
import { tokenRequest } from "./token";
import type { OAuthClient, OAuthUser } from "./types";

const SECRET = "s3cret-0123456789abcdef0123456789abcdef";
const VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

let t: TestDeps;
let client: OAuthClient;
let user: OAuthUser;
let authorization: string;

beforeEach(async () => {
  t = await testDeps();
  client = t.stores.addClient(makeClient({ secret: SECRET, grantTypes: ["authorization_code", "refresh_token", "client_credentials"] }));
  user = t.stores.addUser(makeUser());
  authorization = basicAuth(client.clientId, SECRET);
});

async function expectRejected(p: Promise<unknown>, cls: abstract new (...args: never[]) => OAuthError, wire: { error: string; status: number; description: string }) {
  const e = await rejectionOf(p);
  expect(e).toBeInstanceOf(cls);
  const err = e as OAuthError;
  expect({ error: err.error, status: err.status, description: err.description }).toEqual(wire);
}

describe("grant_type", () => {
  it("missing -> invalid_request, before client authentication", async () => {
    const find = vi.spyOn(t.stores.clients, "findByClientId");
    await expectRejected(tokenRequest(t.deps, params({}), authorization), InvalidRequest, {
      error: "invalid_request",
      status: 400,
      description: "grant_type is required",
    });
    await expectRejected(tokenRequest(t.deps, params({ grant_type: "" }), null), InvalidRequest, {
      error: "invalid_request",
      status: 400,
      description: "grant_type is required",
    });
    expect(find).not.toHaveBeenCalled();
  });

  it.each([
    "password",
    "implicit",
    "token",
    "urn:ietf:params:oauth:grant-type:device_code",
    "urn:ietf:params:oauth:grant-type:jwt-bearer",
    "AUTHORIZATION_CODE",
    // Not grants: names an object has by inheritance.
    "__proto__",
    "constructor",
    "toString",
    "hasOwnProperty",
  ])("%j -> unsupported_grant_type", async (grantType) => {
    await expectRejected(tokenRequest(t.deps, params({ grant_type: grantType }), authorization), UnsupportedGrantType, {
      error: "unsupported_grant_type",
      status: 400,
      description: `grant_type ${grantType} is not supported`,
    });
    expect(t.stores.accessRows.size).toBe(0);
  });
});

describe("client authentication comes before the grant", () => {
  it("a wrong secret -> invalid_client (401, Basic), whatever the grant", async () => {
    const e = await rejectionOf(tokenRequest(t.deps, params({ grant_type: "client_credentials" }), basicAuth(client.clientId, "wrong")));
    expect(e).toBeInstanceOf(InvalidClient);
    expect(e).toMatchObject({ error: "invalid_client", status: 401, description: "Client authentication failed", usedBasicAuth: true });
    expect(t.stores.accessRows.size).toBe(0);
  });

  it("the authenticated client, not a client_id in the body, is the one the grant checks", async () => {
    const limited = t.stores.addClient(makeClient({ secret: "limited-secret", grantTypes: ["authorization_code"] }));
    await expectRejected(
      tokenRequest(t.deps, params({ grant_type: "client_credentials" }), basicAuth(limited.clientId, "limited-secret")),
      UnauthorizedClient,
      { error: "unauthorized_client", status: 400, description: "This client may not use the client_credentials grant" },
    );
  });
});

describe("dispatch", () => {
  it("authorization_code redeems a code", async () => {
    const code = (
      await t.stores.addCode({
        grantId: "grant-ac",
        clientId: client.id,
        userId: user.id,
        sessionId: null,
        redirectUri: REDIRECT_URI,
        redirectUriGiven: true,
        scope: ["openid", "offline_access"],
        nonce: null,
        codeChallenge: s256(VERIFIER),
        codeChallengeMethod: "S256",
        authTime: t.clock.now(),
        expiresAt: new Date(t.clock.now().getTime() + 60_000),
      })
    ).code;
    const res = await tokenRequest(
      t.deps,
      params({ grant_type: "authorization_code", code, code_verifier: VERIFIER, redirect_uri: REDIRECT_URI }),
      authorization,
    );
    expect(res).toMatchObject({ token_type: "Bearer", scope: "openid offline_access", refresh_token: expect.any(String), id_token: expect.any(String) });
    expect(decodeJwt(res.access_token)).toMatchObject({ sub: user.id, client_id: client.clientId });
    expect(t.stores.accessRowsOfGrant("grant-ac")).toHaveLength(1);
  });

  it("refresh_token rotates a refresh token", async () => {
    const { token, id } = t.stores.addRefresh({
      grantId: "grant-rt",
      clientId: client.id,
      userId: user.id,
      sessionId: null,
      scope: ["profile", "offline_access"],
      authTime: t.clock.now(),
      expiresAt: new Date(t.clock.now().getTime() + LIFETIMES.refreshIdle * 1000),
      absoluteExpiresAt: new Date(t.clock.now().getTime() + LIFETIMES.refreshAbsolute * 1000),
    });
    const res = await tokenRequest(t.deps, params({ grant_type: "refresh_token", refresh_token: token }), authorization);
    expect(res).toMatchObject({ token_type: "Bearer", scope: "profile offline_access", refresh_token: expect.any(String) });
    expect(t.stores.refreshRows.get(id)?.rotatedAt).toEqual(t.clock.now());
  });

  it("client_credentials issues a token for the client", async () => {
    const res = await tokenRequest(t.deps, params({ grant_type: "client_credentials", scope: "profile" }), authorization);
    expect(Object.keys(res).sort()).toEqual(["access_token", "expires_in", "scope", "token_type"]);
    expect(decodeJwt(res.access_token)).toMatchObject({ sub: client.clientId, client_id: client.clientId, scope: "profile" });
  });
});
