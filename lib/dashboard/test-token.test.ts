// The API page's test token through the protocol core (fake stores, real JWTs): what it holds
// (RFC 9068 §2.2, RFC 8707), that the API's own credentials see it at introspection (RFC 7662),
// and each refusal.
import { decodeJwt, decodeProtectedHeader } from "jose";
import { beforeEach, describe, expect, it } from "vitest";
import { basicAuth, ISSUER, LIFETIMES, makeApi, makeClient, rejectionOf, testDeps, type TestDeps } from "@test/oauth-fixtures";
import { introspect } from "../oauth/introspection";
import type { ApiRecord, OAuthClient } from "../oauth/types";
import { mintTestToken, TestTokenRefused } from "./test-token";

const ITEMS = "https://api.example.com";

let t: TestDeps;
let app: OAuthClient;
let items: ApiRecord;
let itemsServer: OAuthClient;

beforeEach(async () => {
  t = await testDeps();
  // A code-flow client without client_credentials: the test token does not need it.
  app = t.stores.addClient(makeClient({ secret: "app-secret" }));
  items = t.stores.addApi(makeApi({ identifier: ITEMS, accessTokenTtl: 300 }));
  itemsServer = t.stores.addClient(makeClient({ secret: "items-secret", grantTypes: [], redirectUris: [], scopes: [], resourceServer: ITEMS }));
});

const mint = (over: Partial<Parameters<typeof mintTestToken>[1]> = {}) =>
  mintTestToken(t.deps, { clientId: app.clientId, identifier: ITEMS, scope: ["write:items", "read:items"], actorId: "dev-1", ...over });

describe("mintTestToken", () => {
  it("a client_credentials-shaped access token for the API: sub = client, aud = the API, its scopes, its lifetime (RFC 9068 §2.2)", async () => {
    const out = await mint();
    expect(out.scope).toStrictEqual(["read:items", "write:items"]);
    expect(out.expiresIn).toBe(300);
    expect(decodeProtectedHeader(out.accessToken).typ).toBe("at+jwt");
    const claims = decodeJwt(out.accessToken);
    expect(claims).toMatchObject({ iss: ISSUER, aud: ITEMS, sub: app.clientId, client_id: app.clientId, scope: "read:items write:items" });
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(300);
    expect(await t.keys.verify(out.accessToken, { typ: "at+jwt", audience: ITEMS })).toMatchObject({ aud: ITEMS });
  });

  it("the server's lifetime when the API sets none", async () => {
    t.stores.addApi({ ...items, accessTokenTtl: null });
    expect((await mint()).expiresIn).toBe(LIFETIMES.accessToken);
  });

  it("is recorded: the API's own credentials see it active at introspection (RFC 7662 §2.1), and it is audited without the token", async () => {
    const out = await mint();
    const seen = await introspect(t.deps, new Map([["token", out.accessToken]]), basicAuth(itemsServer.clientId, "items-secret"));
    expect(seen).toMatchObject({ active: true, aud: ITEMS, client_id: app.clientId, scope: "read:items write:items" });
    const jti = decodeJwt(out.accessToken).jti!;
    expect(t.stores.auditEvents.at(-1)).toStrictEqual({
      type: "api.test_token",
      actorId: "dev-1",
      clientId: app.id,
      subjectId: items.id,
      data: { identifier: ITEMS, scope: "read:items write:items", jti },
    });
    expect(JSON.stringify(t.stores.auditEvents)).not.toContain(out.accessToken);
  });

  it("refuses a scope the API does not have", async () => {
    const err = await rejectionOf(mint({ scope: ["read:items", "openid"] }));
    expect(err).toBeInstanceOf(TestTokenRefused);
    expect((err as Error).message).toBe("Not a scope of Items API: openid.");
  });

  it("refuses a client the API does not allow (invalid_target's reason)", async () => {
    t.stores.addApi({ ...items, allClients: false, allowedClientIds: ["someone-else"] });
    const err = await rejectionOf(mint());
    expect(err).toBeInstanceOf(TestTokenRefused);
    expect((err as Error).message).toBe(`This client may not request the resource ${ITEMS}`);
  });

  it("refuses an API that no longer exists, a suspended client and an unknown one", async () => {
    expect(((await rejectionOf(mint({ identifier: "https://gone.example.com" }))) as Error).message).toBe(
      "The resource https://gone.example.com is not an API registered here",
    );
    t.stores.addClient({ ...app, suspended: true });
    expect(((await rejectionOf(mint())) as Error).message).toMatch(/suspended/);
    expect(((await rejectionOf(mint({ clientId: "nobody" }))) as Error).message).toBe("This client no longer exists.");
  });
});
