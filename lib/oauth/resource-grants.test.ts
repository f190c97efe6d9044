// Resource indicators end to end through the protocol core (fake stores, real JWTs): RFC 8707
// §2 at the authorization endpoint, §2.2 at the token endpoint, RFC 9068 §2.2/§3 audience, scope
// and lifetime, consent per API, and what an API's own credentials may introspect (RFC 7662 §2.1).
// One test per rule, each with the exact wire error.
import { decodeJwt } from "jose";
import { beforeEach, describe, expect, it } from "vitest";
import { basicAuth, CHALLENGE, ISSUER, keysOf, LIFETIMES, locationOf, makeApi, makeClient, makeUser, rejectionOf, testDeps, type TestDeps } from "@test/oauth-fixtures";
import { authorize, decideConsent, loadConsent } from "./authorize";
import type { OAuthError } from "./errors";
import { introspect } from "./introspection";
import { tokenRequest } from "./token";
import { userinfo } from "./userinfo";
import type { ApiRecord, OAuthClient, OAuthUser, PortalSessionInfo } from "./types";

const VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const REDIRECT = "https://app.example.test/callback";
const ITEMS = "https://api.example.com";
const NOTES = "urn:example:notes";

let t: TestDeps;
let app: OAuthClient;
let user: OAuthUser;
let session: PortalSessionInfo;
let items: ApiRecord;
let notes: ApiRecord;
let itemsServer: OAuthClient;
let notesServer: OAuthClient;

beforeEach(async () => {
  t = await testDeps();
  app = t.stores.addClient(makeClient({ secret: "app-secret", redirectUris: [REDIRECT], grantTypes: ["authorization_code", "refresh_token", "client_credentials"] }));
  user = t.stores.addUser(makeUser());
  session = { id: "session-row", sid: "sid-1", userId: user.id, authTime: new Date(t.clock.now().getTime() - 1000), amr: ["pwd"] };
  t.stores.addSession(session);
  items = t.stores.addApi(makeApi({ identifier: ITEMS, accessTokenTtl: 300 }));
  notes = t.stores.addApi(makeApi({ identifier: NOTES, name: "Notes API", scopes: [{ name: "read", description: "Read your notes" }] }));
  // The APIs' own credentials: confidential, no grants (lib/db/apis.ts).
  const credentials = (api: ApiRecord, secret: string) =>
    t.stores.addClient(makeClient({ secret, name: api.name, grantTypes: [], redirectUris: [], scopes: [], resourceServer: api.identifier }));
  itemsServer = credentials(items, "items-secret");
  notesServer = credentials(notes, "notes-secret");
});

const authz = (pairs: [string, string][]) =>
  authorize(
    t.deps,
    new URLSearchParams([
      ["response_type", "code"],
      ["client_id", app.clientId],
      ["redirect_uri", REDIRECT],
      ["code_challenge", CHALLENGE],
      ["code_challenge_method", "S256"],
      ["state", "st"],
      ...pairs,
    ]),
    async () => session,
  );

/** The query of a redirect to the client. */
async function redirectQuery(pairs: [string, string][]): Promise<Record<string, string>> {
  const out = await authz(pairs);
  if (out.type !== "respond") throw new Error(`not an answer to the client: ${JSON.stringify(out)}`);
  const location = locationOf(out);
  expect(location.startsWith(REDIRECT)).toBe(true);
  return Object.fromEntries(new URL(location).searchParams);
}

/** A code for these parameters, consenting first when asked. */
async function codeFor(pairs: [string, string][]): Promise<string> {
  const out = await authz(pairs);
  if (out.type === "redirect" && out.location.startsWith("/consent?request=")) {
    const requestId = out.location.split("=")[1]!;
    const decided = await decideConsent(t.deps, { requestId, session, decision: "allow" });
    if (!decided.ok) throw new Error(decided.problem);
    return new URL(locationOf(decided)).searchParams.get("code")!;
  }
  if (out.type !== "respond") throw new Error(JSON.stringify(out));
  return new URL(locationOf(out)).searchParams.get("code")!;
}

const token = (p: [string, string][], auth = basicAuth(app.clientId, "app-secret")) => {
  const form = new Map<string, string>();
  // As lib/http/form.ts passes repeated resources: joined by a line feed.
  for (const [k, v] of p) form.set(k, form.has(k) ? `${form.get(k)}\n${v}` : v);
  return tokenRequest(t.deps, form, auth);
};
const redeem = (code: string, extra: [string, string][] = []) =>
  token([["grant_type", "authorization_code"], ["code", code], ["code_verifier", VERIFIER], ["redirect_uri", REDIRECT], ...extra]);

async function expectError(p: Promise<unknown>, error: string, description: string, status = 400) {
  const e = (await rejectionOf(p)) as OAuthError;
  expect({ error: e.error, status: e.status, description: e.description }).toEqual({ error, status, description });
}

const BOTH: [string, string][] = [["resource", ITEMS], ["resource", NOTES], ["scope", "openid offline_access read:items read"]];

describe("the authorization endpoint (RFC 8707 §2)", () => {
  it("an unknown resource -> invalid_target, redirected to the client with state and iss", async () => {
    expect(await redirectQuery([["resource", "https://nope.example.com"], ["scope", "openid"]])).toEqual({
      error: "invalid_target",
      error_description: "The resource https://nope.example.com is not an API registered here",
      state: "st",
      iss: ISSUER,
    });
  });

  it("a resource with a fragment -> invalid_target", async () => {
    expect(await redirectQuery([["resource", `${ITEMS}#x`], ["scope", "openid"]])).toMatchObject({
      error: "invalid_target",
      error_description: "The resource https://api.example.com#x must not contain a fragment (#) (RFC 8707)",
    });
  });

  it("an API that does not list this client -> invalid_target", async () => {
    t.stores.addApi({ ...items, allClients: false, allowedClientIds: ["someone-else"] });
    expect(await redirectQuery([["resource", ITEMS], ["scope", "read:items"]])).toMatchObject({
      error: "invalid_target",
      error_description: "This client may not request the resource https://api.example.com",
    });
  });

  it("an API's scope without its resource -> invalid_scope naming the resource to send", async () => {
    expect(await redirectQuery([["scope", "openid read:items"]])).toMatchObject({
      error: "invalid_scope",
      error_description: "read:items is a scope of Items API: send resource=https://api.example.com",
    });
  });

  it("consent lists each API's scopes under its name; the grant remembers them per API; the next request needs no consent", async () => {
    const out = await authz(BOTH);
    expect(out).toMatchObject({ type: "redirect", location: expect.stringMatching(/^\/consent\?request=/) });
    const requestId = (out as { location: string }).location.split("=")[1]!;
    const view = await loadConsent(t.deps, requestId, session);
    expect(view.ok && view.view.newScopes).toEqual([
      {
        api: null,
        lines: [
          { key: "openid", text: "Sign you in with your Latchkey account" },
          { key: "offline_access", text: "Stay connected when you are not using the app (refresh tokens)" },
        ],
      },
      { api: { name: "Items API", identifier: ITEMS }, lines: [{ key: `${ITEMS}\\read:items`, text: "Read your items" }] },
      { api: { name: "Notes API", identifier: NOTES }, lines: [{ key: `${NOTES}\\read`, text: "Read your notes" }] },
    ]);
    await decideConsent(t.deps, { requestId, session, decision: "allow" });
    expect(t.stores.consentOf(user.id, app.id)).toEqual(["openid", "offline_access", `${ITEMS}\\read:items`, `${NOTES}\\read`]);
    const code = [...t.stores.codeRows.values()].at(-1)!;
    expect({ resources: code.resources, scope: code.scope }).toEqual({
      resources: [ITEMS, NOTES],
      scope: ["openid", "offline_access", `${ITEMS}\\read:items`, `${NOTES}\\read`],
    });
    // Same request again: consented, straight to a code.
    expect(await redirectQuery(BOTH)).toHaveProperty("code");
    // A scope of the same name for another API is another permission: consent again.
    const wider = await authz([["resource", ITEMS], ["scope", "write:items"]]);
    expect(wider).toMatchObject({ location: expect.stringMatching(/^\/consent\?request=/) });
  });
});

describe("the token endpoint (RFC 8707 §2.2, RFC 9068)", () => {
  it("with a resource: aud = [API, issuer] (openid), that API's scopes only, the API's lifetime in exp and expires_in", async () => {
    const res = await redeem(await codeFor(BOTH), [["resource", ITEMS]]);
    expect(res).toMatchObject({ token_type: "Bearer", expires_in: 300, scope: "openid offline_access read:items" });
    const claims = await t.keys.verify(res.access_token, { typ: "at+jwt", audience: ITEMS });
    expect(claims).toMatchObject({ iss: ISSUER, aud: [ITEMS, ISSUER], scope: "openid offline_access read:items", sub: user.id, client_id: app.clientId });
    expect((claims.exp as number) - (claims.iat as number)).toBe(300);
    // The ID token is still for the client.
    expect(decodeJwt(res.id_token!).aud).toBe(app.clientId);
    // The refresh token keeps the whole grant.
    expect(t.stores.refreshRowOf(res.refresh_token!)).toMatchObject({ resources: [ITEMS, NOTES], scope: ["openid", "offline_access", `${ITEMS}\\read:items`, `${NOTES}\\read`] });
  });

  it("without openid: aud is the API alone, and userinfo refuses the token (invalid_token)", async () => {
    const res = await redeem(await codeFor([["resource", ITEMS], ["scope", "read:items"]]));
    expect(decodeJwt(res.access_token)).toMatchObject({ aud: ITEMS, scope: "read:items" });
    expect(res.expires_in).toBe(300);
    await expectError(userinfo(t.deps, res.access_token), "invalid_token", "The access token is invalid, expired or revoked", 401);
  });

  it("the grant's only resource applies when none is sent; a token with [API, issuer] works at userinfo", async () => {
    const res = await redeem(await codeFor([["resource", NOTES], ["scope", "openid read"]]));
    expect(decodeJwt(res.access_token)).toMatchObject({ aud: [NOTES, ISSUER], scope: "openid read" });
    expect(res.expires_in).toBe(LIFETIMES.accessToken); // no lifetime of its own
    expect(await userinfo(t.deps, res.access_token)).toEqual({ sub: user.id });
  });

  it("a grant of several resources and none named -> invalid_target, and the code is still good", async () => {
    const code = await codeFor(BOTH);
    await expectError(redeem(code), "invalid_target", "This authorization covers several resources: name one with the resource parameter");
    await expect(redeem(code, [["resource", NOTES]])).resolves.toMatchObject({ scope: "openid offline_access read" });
  });

  it("two resources in one token request -> invalid_target (one audience per token)", async () => {
    await expectError(
      redeem(await codeFor(BOTH), [["resource", ITEMS], ["resource", NOTES]]),
      "invalid_target",
      "Send at most one resource per token request: an access token is for one API",
    );
  });

  it("a resource the grant does not cover -> invalid_target", async () => {
    const code = await codeFor([["resource", ITEMS], ["scope", "openid read:items"]]);
    await expectError(redeem(code, [["resource", NOTES]]), "invalid_target", "The resource urn:example:notes was not granted in this authorization");
    const plain = await codeFor([["scope", "openid"]]);
    await expectError(redeem(plain, [["resource", ITEMS]]), "invalid_target", "The resource https://api.example.com was not granted in this authorization");
  });

  it("an API deleted since the authorization -> invalid_target", async () => {
    const code = await codeFor([["resource", ITEMS], ["scope", "read:items"]]);
    t.stores.apiRows.delete(items.id);
    await expectError(redeem(code), "invalid_target", "The resource https://api.example.com is not an API registered here");
  });

  it("without resources: unchanged (aud = issuer, the default lifetime)", async () => {
    const res = await redeem(await codeFor([["scope", "openid email"]]));
    expect(decodeJwt(res.access_token)).toMatchObject({ aud: ISSUER, scope: "openid email" });
    expect(res.expires_in).toBe(LIFETIMES.accessToken);
  });

  it("the client's default API, when the authorization request names none", async () => {
    t.stores.addClient({ ...app, defaultResource: ITEMS });
    const res = await redeem(await codeFor([["scope", "openid read:items"]]));
    expect(decodeJwt(res.access_token)).toMatchObject({ aud: [ITEMS, ISSUER], scope: "openid read:items" });
  });
});

describe("refresh (RFC 8707 §2.2: narrow, never widen)", () => {
  async function refreshToken() {
    const res = await redeem(await codeFor(BOTH), [["resource", ITEMS]]);
    return res.refresh_token!;
  }
  const refresh = (rt: string, extra: [string, string][] = []) => token([["grant_type", "refresh_token"], ["refresh_token", rt], ...extra]);

  it("narrows to another of the grant's resources; the new refresh token keeps them all", async () => {
    const res = await refresh(await refreshToken(), [["resource", NOTES]]);
    expect(res).toMatchObject({ scope: "openid offline_access read", expires_in: LIFETIMES.accessToken });
    expect(decodeJwt(res.access_token)).toMatchObject({ aud: [NOTES, ISSUER], scope: "openid offline_access read" });
    expect(t.stores.refreshRowOf(res.refresh_token!)).toMatchObject({ resources: [ITEMS, NOTES] });
    // And back again with the new one.
    const again = await refresh(res.refresh_token!, [["resource", ITEMS], ["scope", "read:items"]]);
    expect(decodeJwt(again.access_token)).toMatchObject({ aud: ITEMS, scope: "read:items" });
  });

  it("a resource outside the grant -> invalid_target (no widening)", async () => {
    t.stores.addApi(makeApi({ identifier: "https://files.example.com" }));
    await expectError(refresh(await refreshToken(), [["resource", "https://files.example.com"]]), "invalid_target", "The resource https://files.example.com was not granted in this authorization");
  });

  it("a scope of another of the grant's APIs than the one named -> invalid_scope", async () => {
    await expectError(refresh(await refreshToken(), [["resource", NOTES], ["scope", "read:items"]]), "invalid_scope", "The requested scope exceeds the scope originally granted");
  });

  it("none named with several resources -> invalid_target", async () => {
    await expectError(refresh(await refreshToken()), "invalid_target", "This authorization covers several resources: name one with the resource parameter");
  });
});

describe("client_credentials with a resource", () => {
  const cc = (extra: [string, string][] = []) => token([["grant_type", "client_credentials"], ...extra]);

  it("no scope: every scope of the API; aud = the API; its lifetime", async () => {
    const res = await cc([["resource", ITEMS]]);
    expect(res).toEqual({ access_token: expect.any(String), token_type: "Bearer", expires_in: 300, scope: "read:items write:items" });
    expect(decodeJwt(res.access_token)).toMatchObject({ aud: ITEMS, sub: app.clientId, scope: "read:items write:items" });
  });

  it("a scope that is not the API's -> invalid_scope", async () => {
    await expectError(cc([["resource", ITEMS], ["scope", "read:items read"]]), "invalid_scope", "Not a scope of Items API: read");
  });

  it("an unknown or closed API, or two resources -> invalid_target", async () => {
    await expectError(cc([["resource", "https://nope.example.com"]]), "invalid_target", "The resource https://nope.example.com is not an API registered here");
    t.stores.addApi({ ...items, allClients: false, allowedClientIds: [] });
    await expectError(cc([["resource", ITEMS]]), "invalid_target", "This client may not request the resource https://api.example.com");
    await expectError(cc([["resource", NOTES], ["resource", NOTES]]), "invalid_target", "Send at most one resource per token request: an access token is for one API");
    await expectError(cc([["resource", "relative"]]), "invalid_target", "The resource relative must be an absolute URI (such as https://api.example.com) (RFC 8707)");
  });

  it("the client's default API applies when no resource is sent", async () => {
    t.stores.addClient({ ...app, defaultResource: NOTES });
    expect(decodeJwt((await cc()).access_token)).toMatchObject({ aud: NOTES, scope: "read" });
  });
});

describe("introspection by an API's own credentials (RFC 7662 §2.1)", () => {
  const ask = (as: OAuthClient, secret: string, tok: string) => introspect(t.deps, new Map([["token", tok]]), basicAuth(as.clientId, secret));

  it("active with full claims for live tokens meant for it (issued to any client); inactive for another API's, revoked, and refresh tokens", async () => {
    const res = await redeem(await codeFor(BOTH), [["resource", ITEMS]]);
    const claims = decodeJwt(res.access_token);
    expect(await ask(itemsServer, "items-secret", res.access_token)).toEqual({
      active: true,
      scope: "openid offline_access read:items",
      client_id: app.clientId,
      sub: user.id,
      exp: claims.exp,
      iat: claims.iat,
      iss: ISSUER,
      aud: [ITEMS, ISSUER],
      jti: claims.jti,
      token_type: "Bearer",
      username: user.email,
      auth_time: Math.floor(session.authTime.getTime() / 1000),
      acr: "urn:latchkey:acr:single-factor",
      amr: ["pwd"],
    });
    expect(await ask(notesServer, "notes-secret", res.access_token)).toEqual({ active: false });
    expect(await ask(itemsServer, "items-secret", res.refresh_token!)).toEqual({ active: false });
    // The client itself still introspects its own token.
    expect(await ask(app, "app-secret", res.access_token)).toMatchObject({ active: true, aud: [ITEMS, ISSUER] });
    await t.stores.tokens.revokeAccess(claims.jti!, t.clock.now());
    expect(await ask(itemsServer, "items-secret", res.access_token)).toEqual({ active: false });
  });

  it("a client_credentials token for the API is active for it; a plain (issuer) token is not", async () => {
    const forItems = await token([["grant_type", "client_credentials"], ["resource", ITEMS]]);
    expect(await ask(itemsServer, "items-secret", forItems.access_token)).toMatchObject({ active: true, aud: ITEMS, sub: app.clientId });
    const plain = await redeem(await codeFor([["scope", "openid"]]));
    expect(await ask(itemsServer, "items-secret", plain.access_token)).toEqual({ active: false });
  });

  it("an API's credentials get no token of their own (no grant types)", async () => {
    await expectError(
      token([["grant_type", "client_credentials"], ["resource", ITEMS]], basicAuth(itemsServer.clientId, "items-secret")),
      "unauthorized_client",
      "This client may not use the client_credentials grant",
    );
  });
});

describe("a consent granted before keeps working", () => {
  it("needsConsent compares the API-qualified scopes: an OIDC-only consent does not cover an API scope", async () => {
    t.stores.setConsent(user.id, app.id, ["openid", "read:items"]); // an unqualified name covers nothing of an API
    const out = await authz([["resource", ITEMS], ["scope", "openid read:items"]]);
    expect(out).toMatchObject({ location: expect.stringMatching(/^\/consent\?request=/) });
    const requestId = (out as { location: string }).location.split("=")[1]!;
    const view = await loadConsent(t.deps, requestId, session);
    expect(view.ok && [keysOf(view.view.newScopes), keysOf(view.view.grantedScopes)]).toEqual([[`${ITEMS}\\read:items`], ["openid"]]);
  });
});
