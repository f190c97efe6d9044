// The example API against a stand-in issuer (test/fake-issuer.ts): every way a token can be
// wrong, with the exact status and challenge (RFC 6750 §3, RFC 9728 §5.1). The same API is run
// against a real Latchkey in e2e/example-api.spec.ts.
import type { Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateKeyPair } from "jose";
import { FakeIssuer } from "@test/fake-issuer";
import { close, listen } from "@test/loopback-server";
import { itemsApi } from "./items-api";

let issuer: FakeIssuer;
let api: Server;
let resource: string;
let withIntrospection: Server;
let introspected: string;

beforeAll(async () => {
  issuer = await FakeIssuer.start();
  ({ server: api, origin: resource } = await listen());
  api.on("request", await itemsApi({ issuer: issuer.issuer, resource }));
  // A second instance on the same identifier, with the revocation check on.
  let origin: string;
  ({ server: withIntrospection, origin } = await listen());
  introspected = origin;
  withIntrospection.on(
    "request",
    await itemsApi({ issuer: issuer.issuer, resource, introspection: { clientId: "api client", clientSecret: "s3cret:x" } }),
  );
});

afterAll(async () => {
  await Promise.all([close(api), close(withIntrospection), issuer.close()]);
});

const metadataUrl = () => `${resource}/.well-known/oauth-protected-resource`;

function getItems(authorization?: string, base = resource) {
  return fetch(`${base}/items`, { headers: authorization ? { authorization } : {} });
}

async function expectRefused(response: Response, status: number, challenge: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get("www-authenticate")).toBe(challenge);
  expect(response.headers.get("cache-control")).toBe("no-store");
}

const challenge = (error?: string, description?: string) =>
  `Bearer resource_metadata="${metadataUrl()}"` +
  (error ? `, error="${error}", error_description="${description}"` : "") +
  `, scope="read:items"`;

describe("example API: protected resource metadata (RFC 9728 §3)", () => {
  it("serves the document at the well-known path of its identifier", async () => {
    const response = await fetch(metadataUrl());
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(await response.json()).toEqual({
      resource,
      authorization_servers: [issuer.issuer],
      scopes_supported: ["read:items"],
      bearer_methods_supported: ["header"],
      resource_name: "Items API",
    });
  });
});

describe("example API: GET /items", () => {
  it("answers 200 to a token for its audience with read:items, verifying with the cached JWKS", async () => {
    const before = issuer.hits.get("/jwks") ?? 0;
    for (const aud of [resource, [resource, issuer.issuer]]) {
      const response = await getItems(`Bearer ${await issuer.token(aud)}`);
      expect(response.status).toBe(200);
      expect((await response.json()).items).toHaveLength(2);
    }
    // The key set is fetched at most once: verifying needs no call to the issuer per request.
    expect((issuer.hits.get("/jwks") ?? 0) - before).toBeLessThanOrEqual(1);
    expect(await getItems(`bearer ${await issuer.token(resource)}`).then((r) => r.status)).toBe(200);
    expect(issuer.hits.get("/jwks")).toBe(1);
  });

  it("without credentials: 401 with a challenge and no error code (RFC 6750 §3.1)", async () => {
    await expectRefused(await getItems(), 401, challenge());
    await expectRefused(await getItems("Basic dXNlcjpwYXNz"), 401, challenge());
  });

  it("a malformed Authorization header: 400 invalid_request", async () => {
    for (const header of ["Bearer", "Bearer a b", 'Bearer "quoted"']) {
      await expectRefused(await getItems(header), 400, challenge("invalid_request", "The Authorization header is not Bearer <token>"));
    }
  });

  it("a token for another audience: 401 invalid_token (RFC 9068 §4, RFC 8707)", async () => {
    for (const aud of ["https://other-api.example", issuer.issuer, `${resource}/`]) {
      const response = await getItems(`Bearer ${await issuer.token(aud)}`);
      await expectRefused(response, 401, challenge("invalid_token", "The access token is not meant for this API (aud)"));
      expect(await response.json()).toEqual({ error: "invalid_token", error_description: "The access token is not meant for this API (aud)" });
    }
  });

  it("an expired token: 401 invalid_token", async () => {
    const past = Math.floor(Date.now() / 1000) - 3600;
    const response = await getItems(`Bearer ${await issuer.token(resource, { iat: past - 600, exp: past })}`);
    await expectRefused(response, 401, challenge("invalid_token", "The access token has expired"));
  });

  it("a token without read:items: 403 insufficient_scope with scope=", async () => {
    for (const scope of ["openid", "read:items:all write:items", ""]) {
      const response = await getItems(`Bearer ${await issuer.token(resource, { scope })}`);
      await expectRefused(response, 403, challenge("insufficient_scope", "This needs the scope read:items"));
    }
  });

  it("refuses what is not an access token from this issuer, signed with its key", async () => {
    const other = await generateKeyPair("ES256");
    const cases: [string, string][] = [
      // RFC 9068 §4: typ must be at+jwt (an ID token is not an access token).
      [await issuer.token(resource, {}, { typ: "JWT" }), "The token is not an access token (typ must be at+jwt)"],
      [await issuer.token(resource, { iss: "https://evil.example" }), "The access token is from another issuer (iss)"],
      [await issuer.token(resource, {}, {}, other.privateKey), "The access token is not valid"],
      [await issuer.token(resource, { client_id: undefined }), "The access token's client_id claim is not acceptable"],
      ["eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.", "The access token is not valid"],
      ["not-a-jwt", "The access token is not valid"],
    ];
    for (const [token, description] of cases) {
      await expectRefused(await getItems(`Bearer ${token}`), 401, challenge("invalid_token", description));
    }
  });

  it("with introspection on: a revoked token is refused at once; a live one is checked with the API's credentials", async () => {
    const live = await issuer.token(resource);
    expect((await getItems(`Bearer ${live}`, introspected)).status).toBe(200);
    const call = issuer.introspections.at(-1)!;
    // RFC 6749 §2.3.1: each part form-urlencoded, then base64.
    expect(call.authorization).toBe(`Basic ${Buffer.from("api+client:s3cret%3Ax").toString("base64")}`);
    expect(Object.fromEntries(call.body)).toEqual({ token: live, token_type_hint: "access_token" });

    const revoked = await issuer.token(resource);
    issuer.revoked.add(revoked);
    const refused = await getItems(`Bearer ${revoked}`, introspected);
    await expectRefused(refused, 401, challenge("invalid_token", "The access token has been revoked"));
    // Without introspection the same (still signed, unexpired) token passes until it expires.
    expect((await getItems(`Bearer ${revoked}`)).status).toBe(200);
  });

  it("only asks the introspection endpoint about tokens that verified", async () => {
    const count = issuer.introspections.length;
    await getItems(`Bearer ${await issuer.token("https://other-api.example")}`, introspected);
    expect(issuer.introspections.length).toBe(count);
  });

  it("anything else is 404", async () => {
    expect((await fetch(`${resource}/nothing`)).status).toBe(404);
    expect((await fetch(`${resource}/items`, { method: "POST" })).status).toBe(404);
  });
});
