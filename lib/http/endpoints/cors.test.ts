// CORS on the wire, through the real endpoints (lib/http/cors.ts has the rules): exact headers for
// a preflight from any origin, an actual request from the calling client's own origin (success and
// error), from another client's origin, without Origin; `*` on discovery, JWKS and registration;
// nothing on authorize, introspection and end session, whose OPTIONS stays a 405.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { basicAuth, createWorld, ISSUER, type World } from "@test/token-world";
import { webEndpoints } from "@test/web-endpoints";
import type { OAuthClient, OAuthUser } from "../../oauth/types";
import { protocolRouter } from "../node-adapter";
import { PROTOCOL_ROUTES } from "../routes";
import { SECURITY_HEADERS } from "../security-headers.mjs";
import { webHandler } from "../web-handler";
import { authorizeEndpoints } from "./authorize";
import { makeDiscovery } from "./discovery";
import { makeIntrospection } from "./introspection";
import { makeJwks } from "./jwks";
import { makeRevocation } from "./revocation";
import { makeToken } from "./token";
import { makeUserinfo } from "./userinfo";

const SPA = "https://spa.example";
const OTHER = "https://other.example";
const CONFIDENTIAL = "https://server.example";

/** Every CORS header of a response, and Vary, by lower-case name. */
function corsOf(res: Response): Record<string, string> {
  const out: Record<string, string> = {};
  res.headers.forEach((value, name) => {
    if (name.startsWith("access-control-") || name === "vary") out[name] = value;
  });
  return out;
}

const ALLOWED = (origin: string) => ({
  "access-control-allow-origin": origin,
  "access-control-expose-headers": "WWW-Authenticate",
  vary: "Origin",
});

describe("CORS of the endpoints browser apps call", () => {
  let w: World;
  let spa: OAuthClient;
  let alice: OAuthUser;
  let ep: ReturnType<typeof webEndpoints<"token" | "revoke" | "userinfo" | "introspect">>;

  const form = (path: string, body: Record<string, string>, headers: Record<string, string> = {}) =>
    new Request(`${ISSUER}${path}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
      body: new URLSearchParams(body),
    });

  beforeEach(() => {
    w = createWorld();
    // A public browser app: its origin, a second one, and a custom scheme that has none.
    spa = w.addClient({ clientId: "spa", redirectUris: [`${SPA}/callback`, "http://localhost:5173/cb", "com.example.spa:/cb"] });
    w.addClient({ clientId: "other", redirectUris: [`${OTHER}/callback`] });
    w.addClient({ clientId: "confidential", redirectUris: [`${CONFIDENTIAL}/cb`] }, "conf-secret");
    alice = w.addUser({ id: "u-alice", email: "alice@example.com" });
    const d = () => w.deps;
    ep = webEndpoints({ token: makeToken(d), revoke: makeRevocation(d), userinfo: makeUserinfo(d), introspect: makeIntrospection(d) });
  });

  describe("token endpoint", () => {
    const refresh = (refreshToken: string, headers: Record<string, string> = {}) =>
      ep.token(form("/oauth/token", { grant_type: "refresh_token", client_id: "spa", refresh_token: refreshToken }, headers));

    it("from the client's origin: 200 with the Origin echoed, Vary: Origin, WWW-Authenticate exposed, no credentials", async () => {
      const rt = w.issueRefresh({ client: spa, user: alice, scope: ["openid", "offline_access"], grantId: "g1" });
      const res = await refresh(rt, { origin: SPA });
      expect(res.status).toBe(200);
      expect(corsOf(res)).toEqual(ALLOWED(SPA));
      expect(res.headers.get("access-control-allow-credentials")).toBeNull();
      expect(await res.json()).toMatchObject({ token_type: "Bearer", refresh_token: expect.any(String) });
    });

    it("any of the client's web origins (each redirect URI's)", async () => {
      const res = await refresh("unknown", { origin: "http://localhost:5173" });
      expect(corsOf(res)).toEqual(ALLOWED("http://localhost:5173"));
    });

    it("an error from the client's origin carries the header too, so the app can read invalid_grant", async () => {
      const res = await refresh("not-a-refresh-token", { origin: SPA });
      expect(res.status).toBe(400);
      expect(corsOf(res)).toEqual(ALLOWED(SPA));
      expect((await res.json()).error).toBe("invalid_grant");
    });

    it("from another client's origin, an unknown client, or an odd Origin: no Access-Control-Allow-Origin, only Vary", async () => {
      const rt = w.issueRefresh({ client: spa, user: alice, scope: ["openid"], grantId: "g2" });
      const fromOther = await refresh(rt, { origin: OTHER });
      expect(fromOther.status).toBe(200); // the request is served; the browser keeps the answer from the page
      expect(corsOf(fromOther)).toEqual({ vary: "Origin" });
      for (const origin of ["null", `${SPA}/`, "https://spa.example.evil.example", "x".repeat(10_000)]) {
        expect(corsOf(await refresh("x", { origin })), origin.slice(0, 40)).toEqual({ vary: "Origin" });
      }
      const unknown = await ep.token(form("/oauth/token", { grant_type: "refresh_token", client_id: "nobody", refresh_token: "x" }, { origin: SPA }));
      expect(unknown.status).toBe(401);
      expect(corsOf(unknown)).toEqual({ vary: "Origin" });
    });

    it("without Origin (a server): no CORS header at all, not even Vary", async () => {
      const res = await refresh("x");
      expect(res.status).toBe(400);
      expect(corsOf(res)).toEqual({});
    });

    it("a confidential client is named by its Basic credentials; its 401 is readable from its origin", async () => {
      const wrong = await ep.token(form("/oauth/token", { grant_type: "client_credentials" }, { origin: CONFIDENTIAL, authorization: basicAuth("confidential", "wrong") }));
      expect(wrong.status).toBe(401);
      expect(wrong.headers.get("www-authenticate")).toBe('Basic realm="latchkey"');
      expect(corsOf(wrong)).toEqual(ALLOWED(CONFIDENTIAL));
      const fromSpa = await ep.token(form("/oauth/token", { grant_type: "client_credentials" }, { origin: SPA, authorization: basicAuth("confidential", "wrong") }));
      expect(corsOf(fromSpa)).toEqual({ vary: "Origin" });
    });

    it("a malformed request from the client's origin is answered as before, without CORS, never a 5xx", async () => {
      const res = await ep.token(new Request(`${ISSUER}/oauth/token`, { method: "POST", headers: { origin: SPA, "content-type": "application/json" }, body: "{}" }));
      expect(res.status).toBe(400);
      expect(corsOf(res)).toEqual({ vary: "Origin" });
    });
  });

  describe("revocation endpoint", () => {
    it("a public client revoking its refresh token from its origin: 200, readable", async () => {
      const rt = w.issueRefresh({ client: spa, user: alice, scope: ["openid"], grantId: "g3" });
      const res = await ep.revoke(form("/oauth/revoke", { client_id: "spa", token: rt, token_type_hint: "refresh_token" }, { origin: SPA }));
      expect(res.status).toBe(200);
      expect(corsOf(res)).toEqual(ALLOWED(SPA));
      expect(w.calls.revokeGrant).toEqual(["g3"]);
    });

    it("from another origin: served, not readable", async () => {
      const res = await ep.revoke(form("/oauth/revoke", { client_id: "spa", token: "x" }, { origin: OTHER }));
      expect(res.status).toBe(200);
      expect(corsOf(res)).toEqual({ vary: "Origin" });
    });
  });

  describe("userinfo endpoint: the access token's client", () => {
    it("GET from the token's client's origin: 200, readable, WWW-Authenticate exposed", async () => {
      const at = await w.issueAccess({ client: spa, user: alice, scope: ["openid", "email"] });
      const res = await ep.userinfo(new Request(`${ISSUER}/oauth/userinfo`, { headers: { authorization: `Bearer ${at}`, origin: SPA } }));
      expect(res.status).toBe(200);
      expect(corsOf(res)).toEqual(ALLOWED(SPA));
      expect(await res.json()).toEqual({ sub: "u-alice", email: "alice@example.com", email_verified: false });
    });

    it("POST with the token in the form (read once for the endpoint and once for CORS)", async () => {
      const at = await w.issueAccess({ client: spa, user: alice, scope: ["openid"] });
      const res = await ep.userinfo(form("/oauth/userinfo", { access_token: at }, { origin: SPA }));
      expect(res.status).toBe(200);
      expect(corsOf(res)).toEqual(ALLOWED(SPA));
    });

    it("an expired token from the client's origin: 401 invalid_token, the challenge readable", async () => {
      const at = await w.issueAccess({ client: spa, user: alice, scope: ["openid"] });
      w.advance(3600);
      const res = await ep.userinfo(new Request(`${ISSUER}/oauth/userinfo`, { headers: { authorization: `Bearer ${at}`, origin: SPA } }));
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toContain('error="invalid_token"');
      expect(corsOf(res)).toEqual(ALLOWED(SPA));
    });

    it("another client's token, or no token, or junk: no Access-Control-Allow-Origin", async () => {
      const at = await w.issueAccess({ client: spa, user: alice, scope: ["openid"] });
      const fromOther = await ep.userinfo(new Request(`${ISSUER}/oauth/userinfo`, { headers: { authorization: `Bearer ${at}`, origin: OTHER } }));
      expect(fromOther.status).toBe(200);
      expect(corsOf(fromOther)).toEqual({ vary: "Origin" });
      const none = await ep.userinfo(new Request(`${ISSUER}/oauth/userinfo`, { headers: { origin: SPA } }));
      expect(none.status).toBe(401);
      expect(corsOf(none)).toEqual({ vary: "Origin" });
      const junk = await ep.userinfo(new Request(`${ISSUER}/oauth/userinfo`, { headers: { authorization: "Bearer a.b.c", origin: SPA } }));
      expect(junk.status).toBe(401);
      expect(corsOf(junk)).toEqual({ vary: "Origin" });
    });
  });

  it("introspection (resource servers with a secret): no CORS, whoever asks", async () => {
    const at = await w.issueAccess({ client: spa, user: alice, scope: ["openid"] });
    const res = await ep.introspect(form("/oauth/introspect", { token: at }, { origin: CONFIDENTIAL, authorization: basicAuth("confidential", "conf-secret") }));
    expect(res.status).toBe(200);
    expect(corsOf(res)).toEqual({});
  });

  it("authorization endpoint: no CORS (RFC 9700 §2.6), even from the client's origin", async () => {
    const { GET } = webEndpoints(authorizeEndpoints({ deps: () => w.deps, session: async () => null }));
    const query = new URLSearchParams({ client_id: "spa", redirect_uri: `${SPA}/callback`, response_type: "code", scope: "openid" });
    const res = await GET(new Request(`${ISSUER}/oauth/authorize?${query}`, { headers: { origin: SPA } }));
    expect([302, 303, 400]).toContain(res.status);
    expect(corsOf(res)).toEqual({});
  });
});

describe("public documents and registration: *", () => {
  it("discovery and JWKS: * on the response, with or without Origin", async () => {
    const w = createWorld();
    for (const endpoint of [makeDiscovery(() => ({ issuer: ISSUER })), makeJwks(() => w.deps)]) {
      for (const headers of [{}, { origin: SPA }, { origin: "null" }] as Record<string, string>[]) {
        const res = await webHandler(endpoint)(new Request(`${ISSUER}/.well-known/x`, { headers }));
        expect(res.status).toBe(200);
        expect(corsOf(res)).toEqual({ "access-control-allow-origin": "*" });
      }
    }
  });
});

// The production router over the real route table: which paths answer a preflight, exactly.
describe("OPTIONS through the lean router", () => {
  let server: http.Server;
  let base: string;
  beforeAll(async () => {
    const router = protocolRouter(PROTOCOL_ROUTES);
    server = http.createServer(async (req, res) => {
      if (!(await router(req, res))) {
        res.statusCode = 418;
        res.end();
      }
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const options = (path: string, origin = SPA) =>
    fetch(`${base}${path}`, { method: "OPTIONS", headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "authorization" } });

  it("token, revocation, userinfo: 204, any well-formed origin echoed (the actual response is what is gated)", async () => {
    for (const [path, methods] of [
      ["/oauth/token", "POST"],
      ["/oauth/revoke", "POST"],
      ["/oauth/userinfo", "GET, POST"],
    ] as const) {
      for (const origin of [SPA, "https://unknown.example"]) {
        const res = await options(path, origin);
        expect(res.status, path).toBe(204);
        expect(corsOf(res)).toEqual({
          "access-control-allow-origin": origin,
          "access-control-allow-methods": methods,
          "access-control-allow-headers": "Authorization, Content-Type",
          "access-control-max-age": "7200",
          vary: "Origin",
        });
        expect(res.headers.get("allow")).toBe(`OPTIONS, ${methods}`);
        for (const { key, value } of SECURITY_HEADERS) expect(res.headers.get(key)).toBe(value);
        expect(await res.text()).toBe("");
      }
      const odd = await options(path, "null");
      expect(odd.status).toBe(204);
      expect(corsOf(odd)).toEqual({ vary: "Origin" });
    }
  });

  it("discovery, JWKS, registration: 204 with *", async () => {
    for (const [path, methods, headers] of [
      ["/.well-known/openid-configuration", "GET", null],
      ["/.well-known/oauth-authorization-server", "GET", null],
      ["/.well-known/jwks.json", "GET", null],
      ["/oauth/register", "POST", "Authorization, Content-Type"],
      ["/oauth/register/some-client-id", "GET, PUT, DELETE", "Authorization, Content-Type"],
    ] as const) {
      const res = await options(path);
      expect(res.status, path).toBe(204);
      const expected: Record<string, string> = {
        "access-control-allow-origin": "*",
        "access-control-allow-methods": methods,
        "access-control-max-age": "7200",
      };
      if (headers) expected["access-control-allow-headers"] = headers;
      expect(corsOf(res), path).toEqual(expected);
    }
  });

  it("authorize, its continuation, introspection, end session: 405 with Allow, exactly as before, no CORS", async () => {
    for (const [path, allow] of [
      ["/oauth/authorize", "GET, POST"],
      ["/oauth/authorize/continue", "GET"],
      ["/oauth/introspect", "POST"],
      ["/oauth/logout", "GET, POST"],
    ] as const) {
      const res = await options(path);
      expect(res.status, path).toBe(405);
      expect(res.headers.get("allow")).toBe(allow);
      expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
      expect(res.headers.get("cache-control")).toBe("no-store");
      expect(corsOf(res)).toEqual({});
      expect(await res.json()).toEqual({ error: "invalid_request", error_description: "OPTIONS is not allowed here" });
    }
  });
});
