// The authorization endpoint over in-memory stores: exact wire results (error page or redirect,
// the error code, the redirect target, state and iss, headers), what is stored, and how many
// store calls the hot path makes. The HTTP layer (lib/http/endpoints/authorize.ts) is driven
// directly so that status codes and headers are asserted too.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { captureLog } from "@test/log-capture";
import { sha256 } from "../../crypto/tokens";
import { authorizeEndpoints } from "./authorize";
import { protocolRouter, type Routes } from "../node-adapter";
import { SECURITY_HEADERS } from "../security-headers.mjs";
import { errorPage, HTML_PAGE_CSP } from "../html-page";
import { webHandler } from "../web-handler";
import { webEndpoints } from "@test/web-endpoints";
import { authorizationResponseUrl } from "../../oauth/authorization-response";
import {
  PENDING_REQUEST_TTL_SECONDS,
  decideConsent,
  loadConsent,
  type AuthorizeDeps,
} from "../../oauth/authorize";
import { resetClientErrorThrottle } from "../../oauth/client-errors";
import { CHALLENGE, keysOf, locationOf, makeUser, testClient, testKeyRing, testPublicClient, type TestKeyRing } from "@test/oauth-fixtures";
import { SCOPES } from "../../oauth/scopes";
import { FakeStores } from "@test/fake-stores";
import type { OAuthClient, PortalSessionInfo } from "../../oauth/types";

const ISSUER = "https://id.example.com";
const REDIRECT = "https://app.example.com/callback";
const T0 = new Date("2030-01-01T12:00:00.000Z");

// ---------------------------------------------------------------------------------------------
// Harness
// ---------------------------------------------------------------------------------------------

const web = testClient({ redirectUris: [REDIRECT] });
const twoUris = testClient({
  id: "client-row-3",
  clientId: "two-uris",
  redirectUris: [REDIRECT, "https://app.example.com/second"],
});
const native = testPublicClient({ redirectUris: ["http://127.0.0.1/callback"] });
const withQuery = testClient({
  id: "client-row-4",
  clientId: "with-query",
  redirectUris: ["https://app.example.com/cb?tenant=a%20b&x=1"],
});
const confidentialLoopback = testClient({
  id: "client-row-5",
  clientId: "conf-loopback",
  redirectUris: ["http://127.0.0.1:8080/callback"],
});
const noRefresh = testClient({ id: "client-row-6", clientId: "no-refresh", grantTypes: ["authorization_code"] });
const ccOnly = testClient({ id: "client-row-7", clientId: "cc-only", grantTypes: ["client_credentials"] });
const suspended = testClient({ id: "client-row-8", clientId: "suspended", suspended: true });
// Registered before non-ASCII redirect URIs were refused (they are now: redirect-uri.ts).
const idn = testClient({ id: "client-row-9", clientId: "idn", redirectUris: ["https://例え.jp/cb"] });

let mem: FakeStores;
/** The codes stored, oldest first. */
const codes = () => [...mem.codeRows.values()];
let now: Date;
let deps: AuthorizeDeps;
let endpoints: ReturnType<typeof authorizeEndpoints>;
/** The same endpoints as the app/ route files serve them (Web Request in, Web Response out). */
let onWeb: ReturnType<typeof webEndpoints<keyof typeof endpoints>>;

const SESSION: PortalSessionInfo = { id: "session-1", sid: "public-sid-1", userId: "user-1", authTime: new Date(T0.getTime() - 60_000), amr: ["pwd"] };

let keys: TestKeyRing;
beforeAll(async () => {
  keys = await testKeyRing(ISSUER, () => now);
});

beforeEach(() => {
  resetClientErrorThrottle();
  mem = new FakeStores();
  for (const c of [web, twoUris, native, withQuery, confidentialLoopback, noRefresh, ccOnly, suspended, idn]) mem.addClient(c);
  now = T0;
  deps = {
    issuer: ISSUER,
    lifetimes: { authorizationCode: 60, accessToken: 600, idToken: 3600, refreshIdle: 3600, refreshAbsolute: 86400 },
    stores: mem,
    keys,
    now: () => now,
  };
  // The browser's session is named by a test header; the lookup goes through the store.
  endpoints = authorizeEndpoints({
    deps: () => deps,
    session: async (req, stores) => {
      const id = req.headers.get("x-test-session");
      return id ? stores.sessions.findSignedIn(id) : null;
    },
  });
  onWeb = webEndpoints(endpoints);
});

function signIn(session: PortalSessionInfo = SESSION) {
  if (!mem.userRows.has(session.userId)) mem.addUser(makeUser({ id: session.userId }));
  mem.addSession(session);
  return session.id;
}

function grantConsent(scopes: string[], client: OAuthClient = web, userId = SESSION.userId) {
  mem.setConsent(userId, client.id, scopes);
}

const BASE = {
  client_id: "web-app",
  redirect_uri: REDIRECT,
  response_type: "code",
  scope: "openid email",
  state: "xyz-state",
  code_challenge: CHALLENGE,
  code_challenge_method: "S256",
};

type Query = Record<string, string | null>;

function query(q: Query | string): string {
  if (typeof q === "string") return q;
  const out = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== null) out.append(k, v);
  return out.toString();
}

function get(q: Query | string = BASE, sessionId?: string) {
  const headers: Record<string, string> = sessionId ? { "x-test-session": sessionId } : {};
  return onWeb.GET(new Request(`${ISSUER}/oauth/authorize?${query(q)}`, { headers }));
}

function post(q: Query | string = BASE, sessionId?: string, contentType = "application/x-www-form-urlencoded") {
  const headers: Record<string, string> = { "content-type": contentType };
  if (sessionId) headers["x-test-session"] = sessionId;
  return onWeb.POST(new Request(`${ISSUER}/oauth/authorize`, { method: "POST", headers, body: query(q) }));
}

function continueWith(requestId: string | null, sessionId?: string) {
  const headers: Record<string, string> = sessionId ? { "x-test-session": sessionId } : {};
  const q = requestId === null ? "" : `?request=${encodeURIComponent(requestId)}`;
  return onWeb.continueGET(new Request(`${ISSUER}/oauth/authorize/continue${q}`, { headers }));
}

/** Asserts an HTML error page: status, no redirect, no-store, not frameable. Returns its text. */
async function expectPage(res: Response, status = 400): Promise<string> {
  expect(res.status).toBe(status);
  expect(res.headers.get("location")).toBeNull();
  expect(res.headers.get("cache-control")).toBe("no-store");
  expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
  expect(res.headers.get("x-frame-options")).toBe("DENY");
  // Nothing may load or run; only the page's own inline style, by its hash; never framed.
  expect(res.headers.get("content-security-policy")).toBe(HTML_PAGE_CSP);
  expect(HTML_PAGE_CSP).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/]{43}='; base-uri 'none'; frame-ancestors 'none'$/);
  const html = await res.text();
  expect(html).toContain('<a href="/">Return to Latchkey</a>');
  return html;
}

/** Asserts a redirect to `target` (origin + path) and returns its query. */
function expectRedirect(res: Response, target: string, status = 302): URLSearchParams {
  expect(res.status).toBe(status);
  expect(res.headers.get("cache-control")).toBe("no-store");
  const location = new URL(res.headers.get("location") ?? "", ISSUER);
  const want = new URL(target, ISSUER);
  expect(`${location.origin}${location.pathname}`).toBe(`${want.origin}${want.pathname}`);
  return location.searchParams;
}

/** Asserts an RFC 6749 §4.1.2.1 error redirect to the client with `error`, state and iss. */
function expectClientError(res: Response, error: string, opts: { target?: string; state?: string | null; status?: number } = {}) {
  const q = expectRedirect(res, opts.target ?? REDIRECT, opts.status);
  expect(q.get("error")).toBe(error);
  expect(q.get("error_description") ?? "").not.toBe("");
  expect(q.get("iss")).toBe(ISSUER);
  const state = opts.state === undefined ? BASE.state : opts.state;
  expect(q.get("state")).toBe(state);
  expect(q.get("code")).toBeNull();
  return q;
}

/** Asserts a code redirect to the client; returns the code. */
function expectCode(res: Response, target = REDIRECT, status = 302): string {
  const q = expectRedirect(res, target, status);
  expect(q.get("error")).toBeNull();
  expect(q.get("state")).toBe(BASE.state);
  expect(q.get("iss")).toBe(ISSUER);
  const code = q.get("code") ?? "";
  expect(code).toMatch(/^[A-Za-z0-9_-]{43}$/); // 32 bytes, base64url
  return code;
}

/** Asserts a redirect to sign-in that comes back to the continue endpoint; returns the request id. */
function expectSignIn(res: Response): { requestId: string; query: URLSearchParams } {
  const q = expectRedirect(res, "/signin");
  const callback = new URL(q.get("callbackUrl") ?? "", ISSUER);
  expect(callback.pathname).toBe("/oauth/authorize/continue");
  const requestId = callback.searchParams.get("request") ?? "";
  expect(mem.requestRows.has(requestId)).toBe(true);
  return { requestId, query: q };
}

function expectConsentRedirect(res: Response): string {
  const q = expectRedirect(res, "/consent");
  const requestId = q.get("request") ?? "";
  expect(mem.requestRows.has(requestId)).toBe(true);
  return requestId;
}

// ---------------------------------------------------------------------------------------------
// (1)-(2): error pages, never redirects (RFC 6749 §4.1.2.1)
// ---------------------------------------------------------------------------------------------

describe("client and redirect URI: error page", () => {
  it("unknown client -> 400 page, no Location", async () => {
    const html = await expectPage(await get({ ...BASE, client_id: "nobody" }));
    expect(html).toContain("Unknown application");
  });

  it("missing client_id -> page", async () => {
    await expectPage(await get({ ...BASE, client_id: null }));
  });

  it("suspended client -> page", async () => {
    const html = await expectPage(await get({ ...BASE, client_id: "suspended" }));
    expect(html).toContain("Application suspended");
  });

  it("unregistered redirect_uri -> page (even with other errors in the request)", async () => {
    const html = await expectPage(await get({ ...BASE, redirect_uri: "https://evil.example/cb", response_type: "token" }));
    expect(html).toContain("Unregistered redirect address");
    // The developer dashboard's "last error seen" gets the same plain words.
    expect(mem.clientErrors).toHaveLength(1);
    expect(mem.clientErrors[0]!.clientId).toBe(BASE.client_id);
    expect(mem.clientErrors[0]!.message).toBe(
      `invalid_request: redirect_uri https://evil.example/cb does not match any registered URI: you registered ${REDIRECT}`,
    );
  });

  it("redirect_uri omitted with two registered -> page", async () => {
    const html = await expectPage(await get({ ...BASE, client_id: "two-uris", redirect_uri: null }));
    expect(html).toContain("Missing redirect address");
  });

  it("redirect_uri omitted with one registered -> that one is used", async () => {
    signIn();
    grantConsent(["openid", "email"]);
    expectCode(await get({ ...BASE, redirect_uri: null }, SESSION.id));
    expect(codes()[0]).toMatchObject({ redirectUri: REDIRECT, redirectUriGiven: false });
  });

  it("a public client's loopback redirect may use any port (RFC 8252 §7.3)", async () => {
    signIn();
    grantConsent(["openid"], native);
    const uri = "http://127.0.0.1:51234/callback";
    expectCode(await get({ ...BASE, client_id: "native-app", redirect_uri: uri, scope: "openid" }, SESSION.id), uri);
    expect(codes()[0]).toMatchObject({ redirectUri: uri, redirectUriGiven: true });
  });

  it("a confidential client with a different loopback port -> page", async () => {
    await expectPage(await get({ ...BASE, client_id: "conf-loopback", redirect_uri: "http://127.0.0.1:9090/callback" }));
  });

  it("escapes what it shows and leaks no detail of an unexpected failure (500 page)", async () => {
    vi.spyOn(mem.clients, "findByClientId").mockRejectedValue(new Error("database is down: secret detail"));
    const log = captureLog();
    const html = await expectPage(await get(), 500);
    log.restore();
    expect(html).not.toContain("secret detail");
    expect(html).toContain("Something went wrong");
    // Logged on the server, with its stack, not shown.
    expect(log.lines()).toMatchObject([{ level: "error", err: { message: "database is down: secret detail", stack: expect.any(String) } }]);
  });
});

// ---------------------------------------------------------------------------------------------
// (3)-(7): errors redirected to the client with error, error_description, state, iss
// ---------------------------------------------------------------------------------------------

describe("invalid requests: redirected errors", () => {
  it("(3) a repeated parameter -> invalid_request", async () => {
    const q = expectClientError(await get(`${query(BASE)}&scope=profile`), "invalid_request");
    expect(q.get("error_description")).toBe("Parameter scope is repeated");
  });

  it("(3) a repeated state is not echoed (which one?)", async () => {
    expectClientError(await get(`${query(BASE)}&state=other`), "invalid_request", { state: null });
  });

  it("(4) missing response_type -> invalid_request", async () => {
    expectClientError(await get({ ...BASE, response_type: null }), "invalid_request");
  });

  it("(4) response_type=none -> unsupported_response_type", async () => {
    expectClientError(await get({ ...BASE, response_type: "none" }), "unsupported_response_type");
  });

  it.each(["token", "id_token token", "code id_token", "code token"])(
    "(4) response_type=%s -> unsupported_response_type, in the fragment (RFC 6749 §4.2.2.1, RFC 9700 §2.1.2)",
    async (type) => {
      const res = await get({ ...BASE, response_type: type });
      expect(res.status).toBe(302);
      const location = res.headers.get("location") ?? "";
      expect(location.startsWith(`${REDIRECT}#`)).toBe(true);
      const f = new URLSearchParams(location.slice(location.indexOf("#") + 1));
      expect([f.get("error"), f.get("state"), f.get("iss"), f.get("access_token")]).toEqual(["unsupported_response_type", BASE.state, ISSUER, null]);
    },
  );

  it("(4) request -> request_not_supported; request_uri -> request_uri_not_supported", async () => {
    expectClientError(await get({ ...BASE, request: "eyJ.x.y" }), "request_not_supported");
    expectClientError(await get({ ...BASE, request_uri: "https://app.example.com/r" }), "request_uri_not_supported");
  });

  it("a client without the authorization_code grant -> unauthorized_client", async () => {
    expectClientError(await get({ ...BASE, client_id: "cc-only" }), "unauthorized_client");
  });

  it("(5) missing scope and no registered scope -> invalid_scope", async () => {
    mem.addClient(testClient({ id: "client-row-10", clientId: "no-scopes", scopes: [] }));
    const q = expectClientError(await get({ ...BASE, client_id: "no-scopes", scope: null }), "invalid_scope");
    expect(q.get("error_description")).toBe("scope is missing and this client has no registered scopes to use instead");
  });

  it("(5) unknown scope -> invalid_scope", async () => {
    expectClientError(await get({ ...BASE, scope: "openid admin" }), "invalid_scope");
  });

  it("(6) plain PKCE refused -> invalid_request", async () => {
    const q = expectClientError(await get({ ...BASE, code_challenge_method: "plain" }), "invalid_request");
    expect(q.get("error_description")).toBe("code_challenge_method must be S256 (plain is not allowed)");
  });

  it("(6) missing PKCE for a public client -> invalid_request", async () => {
    const q = expectClientError(
      await get({ ...BASE, client_id: "native-app", redirect_uri: "http://127.0.0.1:5000/callback", code_challenge: null, code_challenge_method: null }),
      "invalid_request",
      { target: "http://127.0.0.1:5000/callback" },
    );
    expect(q.get("error_description")).toBe("code_challenge is required");
  });

  it("(7) unknown prompt value -> invalid_request", async () => {
    expectClientError(await get({ ...BASE, prompt: "select_account" }), "invalid_request");
  });

  it("(7) prompt=none with another value -> invalid_request", async () => {
    expectClientError(await get({ ...BASE, prompt: "none login" }), "invalid_request");
  });

  it("(7) negative max_age -> invalid_request", async () => {
    expectClientError(await get({ ...BASE, max_age: "-5" }), "invalid_request");
  });

  it("(7) an over-long nonce -> invalid_request", async () => {
    expectClientError(await get({ ...BASE, nonce: "n".repeat(513) }), "invalid_request");
  });

  it("no state in the request: none in the error", async () => {
    expectClientError(await get({ ...BASE, state: null, response_type: "none" }), "unsupported_response_type", { state: null });
  });

  it("an error keeps the registered redirect URI's query (RFC 6749 §3.1.2)", async () => {
    const res = await get({ ...BASE, client_id: "with-query", redirect_uri: null, response_type: "none" });
    const location = res.headers.get("location") ?? "";
    expect(location.startsWith("https://app.example.com/cb?tenant=a%20b&x=1&error=unsupported_response_type&")).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
// Sign-in, consent and the code
// ---------------------------------------------------------------------------------------------

describe("signed out", () => {
  it("-> sign-in, coming back to /oauth/authorize/continue; the request is parked 10 minutes", async () => {
    const { requestId, query: q } = expectSignIn(await get({ ...BASE, login_hint: "ana@example.com" }));
    expect(q.get("login_hint")).toBe("ana@example.com");
    const parked = mem.requestRows.get(requestId)!;
    expect(parked).toMatchObject({ clientId: web.id, sessionId: null, createdAt: T0, consumedAt: null });
    expect(parked.expiresAt.getTime() - T0.getTime()).toBe(PENDING_REQUEST_TTL_SECONDS * 1000);
    expect(parked.params).toMatchObject({ clientId: "web-app", scope: ["openid", "email"], state: BASE.state, codeChallenge: CHALLENGE });
    expect(codes()).toHaveLength(0);
  });

  it("prompt=none -> login_required, nothing parked", async () => {
    expectClientError(await get({ ...BASE, prompt: "none" }), "login_required");
    expect(mem.requestRows.size).toBe(0);
  });
});

describe("signed in", () => {
  it("consent covers the scopes -> a code at once (hot path: 4 store calls, nothing parked)", async () => {
    signIn();
    grantConsent(["openid", "email", "profile"]);
    expectCode(await get(BASE, SESSION.id));
    expect(mem.calls).toEqual({
      "clients.findByClientId": 1,
      "sessions.findSignedIn": 1,
      "consents.find": 1,
      "codes.create": 1,
    });
  });

  it("the code is stored only as its SHA-256, with the request's details and the code lifetime", async () => {
    signIn();
    grantConsent(["openid", "email"]);
    const code = expectCode(await get({ ...BASE, nonce: "n-1" }, SESSION.id));
    expect(codes()).toHaveLength(1);
    const stored = codes()[0]!;
    expect(stored.codeHash).toBe(sha256(code));
    expect(JSON.stringify(stored)).not.toContain(code);
    expect(stored).toMatchObject({
      clientId: web.id,
      userId: SESSION.userId,
      // The session's public sid (it goes into the ID token), never the row id the cookie names.
      sessionId: SESSION.sid,
      redirectUri: REDIRECT,
      redirectUriGiven: true,
      scope: ["openid", "email"],
      nonce: "n-1",
      codeChallenge: CHALLENGE,
      codeChallengeMethod: "S256",
      authTime: SESSION.authTime,
    });
    expect(stored.expiresAt.getTime() - T0.getTime()).toBe(deps.lifetimes.authorizationCode * 1000);
    expect(stored.grantId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("the code redirect keeps the registered redirect URI's query", async () => {
    signIn();
    grantConsent(["openid", "email"], withQuery);
    const res = await get({ ...BASE, client_id: "with-query", redirect_uri: null }, SESSION.id);
    const location = res.headers.get("location") ?? "";
    expect(location.startsWith("https://app.example.com/cb?tenant=a%20b&x=1&code=")).toBe(true);
    const q = new URL(location).searchParams;
    expect([q.get("tenant"), q.get("x"), q.get("state"), q.get("iss")]).toEqual(["a b", "1", BASE.state, ISSUER]);
  });

  it("error pages show the exact reason under 'Details for developers', without listing the registered URIs", async () => {
    const details = (html: string) => /<details><summary>Details for developers<\/summary><pre>([^<]*)<\/pre><\/details>/.exec(html)?.[1];
    const unknown = await expectPage(await get({ ...BASE, client_id: "nobody" }));
    expect(details(unknown)).toBe(
      "HTTP 400: client_id &quot;nobody&quot; is not registered on this server. Without a known client there is no verified redirect_uri, so the error cannot be sent back to the application (RFC 6749 §4.1.2.1).",
    );
    const unregistered = await expectPage(await get({ ...BASE, redirect_uri: "https://evil.example/cb" }));
    expect(details(unregistered)).toBe(
      `HTTP 400: redirect_uri &quot;https://evil.example/cb&quot; does not exactly match any of the 1 redirect URIs registered for client_id &quot;web-app&quot;. Redirect URIs are compared as exact strings (RFC 6749 §3.1.2.2, RFC 9700 §4.1.3): register this one or send a registered one.`,
    );
    expect(unregistered).not.toContain(REDIRECT);
    expect(details(await expectPage(await get({ ...BASE, client_id: "suspended" })))).toBe(
      "HTTP 400: client_id &quot;suspended&quot; is suspended by an administrator of this server; its authorization requests are refused until it is resumed.",
    );
    expect(details(await expectPage(await get({ ...BASE, client_id: null })))).toBe("HTTP 400: client_id is missing from the authorization request (RFC 6749 §4.1.1: REQUIRED).");
    expect(details(await expectPage(await get({ ...BASE, client_id: "two-uris", redirect_uri: null })))).toBe(
      "HTTP 400: redirect_uri is missing and client_id &quot;two-uris&quot; has 2 registered redirect URIs; it may be left out only when exactly one is registered (RFC 6749 §3.1.2.3).",
    );
    // The dashboard's "last error" (only its owner sees it) still lists what is registered.
    expect(mem.clientErrors.find((e) => e.clientId === "web-app")?.message).toBe(`invalid_request: redirect_uri https://evil.example/cb does not match any registered URI: you registered ${REDIRECT}`);
  });

  it("a client registered with a non-ASCII redirect URI: the code and error redirects go to its ASCII form, never a 500", async () => {
    signIn();
    grantConsent(["openid", "email"], idn);
    for (const given of ["https://例え.jp/cb", null]) {
      const res = await get({ ...BASE, client_id: "idn", redirect_uri: given }, SESSION.id);
      expect(res.status).toBe(302);
      expect(res.headers.get("location")!.startsWith("https://xn--r8jz45g.jp/cb?code=")).toBe(true);
    }
    const bad = await get({ ...BASE, client_id: "idn", redirect_uri: "https://例え.jp/cb", scope: "openid nope" }, SESSION.id);
    expect(bad.status).toBe(302);
    expect(bad.headers.get("location")!.startsWith("https://xn--r8jz45g.jp/cb?error=invalid_scope&")).toBe(true);
    // Not registered (another non-ASCII spelling): the error page, 400.
    await expectPage(await get({ ...BASE, client_id: "idn", redirect_uri: "https://例え.jp/other" }, SESSION.id));
  });

  it("offline_access is dropped for a client without refresh tokens, and the code is issued", async () => {
    signIn();
    grantConsent(["openid"], noRefresh);
    expectCode(await get({ ...BASE, client_id: "no-refresh", scope: "openid offline_access" }, SESSION.id));
    expect(codes()[0]!.scope).toEqual(["openid"]);
  });

  // RFC 6749 §3.3: no scope (or an empty one, §3.1) -> the client's registered scopes.
  it.each([null, ""])("scope %j, consent covers the registered scopes -> a code for exactly those", async (scope) => {
    signIn();
    grantConsent(["openid", "profile", "email", "offline_access"]);
    expectCode(await get({ ...BASE, scope }, SESSION.id));
    expect(codes()[0]!.scope).toEqual(["openid", "profile", "email", "offline_access"]);
  });

  it("no scope, consent for only some of the registered scopes -> consent, parked with the registered scopes", async () => {
    signIn();
    grantConsent(["openid", "email"]);
    const id = expectConsentRedirect(await get({ ...BASE, scope: null }, SESSION.id));
    expect(mem.requestRows.get(id)!.params.scope).toEqual(["openid", "profile", "email", "offline_access"]);
    const view = await loadConsent(deps, id, SESSION);
    expect(view.ok && [keysOf(view.view.newScopes), keysOf(view.view.grantedScopes)]).toEqual([["profile", "offline_access"], ["openid", "email"]]);
  });

  it("no scope from a client without refresh tokens -> its registered scopes less offline_access", async () => {
    signIn();
    grantConsent(["openid", "profile", "email"], noRefresh);
    expectCode(await get({ ...BASE, client_id: "no-refresh", scope: null }, SESSION.id));
    expect(codes()[0]!.scope).toEqual(["openid", "profile", "email"]);
  });

  it("no scope, prompt=none without consent -> consent_required, as with the scopes sent", async () => {
    signIn();
    expectClientError(await get({ ...BASE, scope: null, prompt: "none" }, SESSION.id), "consent_required");
  });

  it("a new scope -> consent; the request is parked, bound to this session", async () => {
    signIn();
    grantConsent(["openid"]);
    const requestId = expectConsentRedirect(await get(BASE, SESSION.id));
    expect(mem.requestRows.get(requestId)).toMatchObject({ sessionId: SESSION.id, clientId: web.id });
    expect(codes()).toHaveLength(0);
  });

  it("no consent at all -> consent", async () => {
    signIn();
    expectConsentRedirect(await get(BASE, SESSION.id));
  });

  it("prompt=consent asks even when consent covers the scopes", async () => {
    signIn();
    grantConsent(["openid", "email"]);
    expectConsentRedirect(await get({ ...BASE, prompt: "consent" }, SESSION.id));
  });

  it("prompt=none without consent -> consent_required", async () => {
    signIn();
    grantConsent(["openid"]);
    expectClientError(await get({ ...BASE, prompt: "none" }, SESSION.id), "consent_required");
    expect(mem.requestRows.size).toBe(0);
  });

  it("prompt=none with consent -> a code", async () => {
    signIn();
    grantConsent(["openid", "email"]);
    expectCode(await get({ ...BASE, prompt: "none" }, SESSION.id));
  });

  it("prompt=login -> the sign-in form is forced (prompt=login), and the session is left alone", async () => {
    signIn();
    grantConsent(["openid", "email"]);
    const res = await get({ ...BASE, prompt: "login" }, SESSION.id);
    const { requestId } = expectSignIn(res);
    expect(new URL(res.headers.get("location")!, ISSUER).searchParams.get("prompt")).toBe("login");
    expect(mem.requestRows.get(requestId)!.sessionId).toBeNull();
    // A cross-site GET of an authorization URL must not sign anyone out: no cookie is cleared.
    expect(res.headers.getSetCookie()).toEqual([]);
    expect(mem.sessionRows.has(SESSION.id)).toBe(true);
  });

  it("max_age older than the session's sign-in -> sign in again; within it -> a code", async () => {
    signIn(); // authenticated 60 s ago
    grantConsent(["openid", "email"]);
    expectSignIn(await get({ ...BASE, max_age: "30" }, SESSION.id));
    expectCode(await get({ ...BASE, max_age: "120" }, SESSION.id));
  });

  it("max_age exceeded with prompt=none -> login_required", async () => {
    signIn();
    grantConsent(["openid", "email"]);
    expectClientError(await get({ ...BASE, max_age: "0", prompt: "none" }, SESSION.id), "login_required");
  });
});

describe("POST /oauth/authorize", () => {
  it("takes the same parameters from a form and answers with 303 (RFC 9700 §4.12)", async () => {
    signIn();
    grantConsent(["openid", "email"]);
    expectCode(await post(BASE, SESSION.id), REDIRECT, 303);
  });

  it("a repeated parameter in the body -> invalid_request redirect, not a page", async () => {
    expectClientError(await post(`${query(BASE)}&scope=email`), "invalid_request", { status: 303 });
  });

  it("a body that is not a form -> page", async () => {
    await expectPage(await post(JSON.stringify(BASE) as string, undefined, "application/json"));
  });
});

describe("the endpoints themselves, as the lean router calls them (no Web Request/Response)", () => {
  /** What lib/http/node-adapter.ts hands an endpoint: the request target as sent, not absolute. */
  const liteReq = (url: string, headers: Record<string, string> = {}, body = "", method = body ? "POST" : "GET") => ({
    method,
    url,
    headers: new Headers(headers),
    text: async () => body,
  });

  it("redirects with the code as the Web handler does: 302, Location, no-store, no body", async () => {
    signIn();
    grantConsent(["openid", "email"]);
    const r = await endpoints.GET(liteReq(`/oauth/authorize?${query(BASE)}`, { "x-test-session": SESSION.id }));
    expect(r.status).toBe(302);
    expect(r.headers).toEqual({ Location: expect.any(String), "Cache-Control": "no-store", Pragma: "no-cache" });
    expect(r.body).toBe("");
    // The same assertions as the Web handler's, on the same answer made into a Response.
    expectCode(new Response(null, { status: r.status, headers: r.headers as Record<string, string> }), REDIRECT, 302);
  });

  it("answers an unknown client with the error page: 400, no redirect, no-store, not frameable, escaped", async () => {
    const r = await endpoints.GET(liteReq(`/oauth/authorize?${query({ ...BASE, client_id: "<nobody>" })}`));
    expect(r.status).toBe(400);
    expect(r.headers).toEqual({
      "Content-Type": "text/html; charset=utf-8",
      "Cache-Control": "no-store",
      Pragma: "no-cache",
      "X-Frame-Options": "DENY",
      "Content-Security-Policy": HTML_PAGE_CSP,
    });
    expect(r.body).toMatch(/^<!doctype html>/i);
    expect(r.body).not.toContain("<nobody>");
    expect(r.body).not.toMatch(/<script/i);
    const notForm = await endpoints.POST(liteReq("/oauth/authorize", { "content-type": "application/json" }, JSON.stringify(BASE)));
    expect([notForm.status, notForm.headers["X-Frame-Options"], notForm.headers["Cache-Control"]]).toEqual([400, "DENY", "no-store"]);
  });

  it("through the lean router: GET and HEAD give the redirect, with the security headers", async () => {
    signIn();
    grantConsent(["openid", "email"]);
    const routes: Routes = { "/oauth/authorize": { GET: endpoints.GET, POST: endpoints.POST } };
    const router = protocolRouter(routes);
    const server = http.createServer((req, res) => void router(req, res));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      for (const method of ["GET", "HEAD"]) {
        const r = await fetch(`${base}/oauth/authorize?${query(BASE)}`, { method, redirect: "manual", headers: { "x-test-session": SESSION.id } });
        expectCode(r, REDIRECT, 302);
        expect(r.headers.get("content-type")).toBeNull();
        for (const { key, value } of SECURITY_HEADERS) expect(r.headers.get(key)).toBe(value);
        expect(await r.text()).toBe("");
      }
      const page = await fetch(`${base}/oauth/authorize?${query({ ...BASE, client_id: "nobody" })}`, { redirect: "manual" });
      await expectPage(page);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it("continues after sign-in from a relative request target", async () => {
    const { requestId } = expectSignIn(await get(BASE));
    signIn();
    grantConsent(["openid", "email"]);
    const r = await endpoints.continueGET(liteReq(`/oauth/authorize/continue?request=${encodeURIComponent(requestId)}`, { "x-test-session": SESSION.id }));
    expectCode(new Response(null, { status: r.status, headers: r.headers as Record<string, string> }), REDIRECT, 302);
  });
});

// ---------------------------------------------------------------------------------------------
// GET /oauth/authorize/continue
// ---------------------------------------------------------------------------------------------

describe("continue after sign-in", () => {
  async function parkSignedOut(q: Query = BASE): Promise<string> {
    return expectSignIn(await get(q)).requestId;
  }

  it.each([
    ["no request parameter", null],
    ["an unknown request", "nope"],
  ])("%s -> expired page", async (_, id) => {
    const html = await expectPage(await continueWith(id, signIn()));
    expect(html).toContain("This sign-in request has expired; go back to the app and try again.");
  });

  it("an expired request -> expired page", async () => {
    const id = await parkSignedOut();
    now = new Date(T0.getTime() + PENDING_REQUEST_TTL_SECONDS * 1000);
    const html = await expectPage(await continueWith(id, signIn()));
    expect(html).toContain("This sign-in request has expired");
  });

  it("still signed out -> back to sign-in with the same request", async () => {
    const id = await parkSignedOut();
    expect(expectSignIn(await continueWith(id)).requestId).toBe(id);
  });

  it("signed in, no consent -> binds the request to the session, then consent", async () => {
    const id = await parkSignedOut();
    now = new Date(T0.getTime() + 30_000);
    const session = { ...SESSION, authTime: new Date(T0.getTime() + 20_000) };
    expect(expectConsentRedirect(await continueWith(id, signIn(session)))).toBe(id);
    expect(mem.requestRows.get(id)!.sessionId).toBe(SESSION.id);
  });

  it("signed in with consent -> a code; the request is used up (a second continue -> page)", async () => {
    const id = await parkSignedOut();
    grantConsent(["openid", "email"]);
    const session = signIn({ ...SESSION, authTime: new Date(T0.getTime() + 1000) });
    expectCode(await continueWith(id, session));
    expect(mem.requestRows.get(id)!.consumedAt).not.toBeNull();
    await expectPage(await continueWith(id, session));
    expect(codes()).toHaveLength(1);
  });

  it("a request bound to another session -> page", async () => {
    const id = await parkSignedOut();
    await continueWith(id, signIn());
    const other = signIn({ id: "session-2", sid: "public-sid-2", userId: "user-2", authTime: T0, amr: ["pwd"] });
    const html = await expectPage(await continueWith(id, other));
    expect(html).toContain("started in another session");
  });

  it("prompt=login: a session from before the request is not enough; one after it is", async () => {
    signIn();
    grantConsent(["openid", "email"]);
    const { requestId } = expectSignIn(await get({ ...BASE, prompt: "login" }, SESSION.id));
    // The old session (cookie not cleared, say) -> sign-in again.
    expectSignIn(await continueWith(requestId, SESSION.id));
    // Signed in again after the request was made -> on (prompt=login does not loop).
    now = new Date(T0.getTime() + 5000);
    const fresh = signIn({ id: "session-3", sid: "public-sid-3", userId: SESSION.userId, authTime: new Date(T0.getTime() + 4000), amr: ["pwd"] });
    expectCode(await continueWith(requestId, fresh));
    expect(codes()[0]!.authTime).toEqual(new Date(T0.getTime() + 4000));
  });

  it("max_age=0: a sign-in made for this request satisfies it", async () => {
    const id = await parkSignedOut({ ...BASE, max_age: "0" });
    grantConsent(["openid", "email"]);
    now = new Date(T0.getTime() + 3000);
    expectCode(await continueWith(id, signIn({ ...SESSION, authTime: new Date(T0.getTime() + 1000) })));
  });
});

// ---------------------------------------------------------------------------------------------
// acr_values (OIDC Core §3.1.2.1) and the step-up
// ---------------------------------------------------------------------------------------------

describe("acr_values: step-up", () => {
  const ONE = "urn:latchkey:acr:single-factor";
  const MFA = "http://schemas.openid.net/pape/policies/2007/06/multi-factor";
  const PHR = "phr";
  const OTP = ["pwd", "otp", "mfa"];

  /** The exact step-up redirect for a parked request: acr and the continuation, nothing else. */
  function expectStepUp(res: Response, acr: string): string {
    expect(res.status).toBe(302);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const location = res.headers.get("location") ?? "";
    const id = new URL(new URL(location, ISSUER).searchParams.get("callbackUrl") ?? "", ISSUER).searchParams.get("request") ?? "";
    expect(mem.requestRows.has(id)).toBe(true);
    expect(location).toBe(`/signin/step-up?acr=${encodeURIComponent(acr)}&callbackUrl=${encodeURIComponent(`/oauth/authorize/continue?request=${id}`)}`);
    return id;
  }

  /** What sessions.stepUp does to the row: the new amr, authenticated now. */
  function stepUp(sessionId: string, amr: string[]) {
    Object.assign(mem.sessionRows.get(sessionId)!, { amr, authTime: now });
  }

  it("a password session asked for mfa -> the step-up page, coming back to the continuation; the request parked, no code", async () => {
    signIn();
    grantConsent(["openid", "email"]);
    const id = expectStepUp(await get({ ...BASE, acr_values: MFA }, SESSION.id), MFA);
    expect(mem.requestRows.get(id)).toMatchObject({ clientId: web.id, sessionId: null, createdAt: T0, consumedAt: null });
    expect(mem.requestRows.get(id)!.params.acrValues).toEqual([MFA]);
    expect(codes()).toHaveLength(0);
  });

  it("the step-up asks for the first known value (the client's preference); unknown values before it are skipped", async () => {
    signIn();
    grantConsent(["openid", "email"]);
    expectStepUp(await get({ ...BASE, acr_values: `urn:example:gold ${PHR} ${MFA}` }, SESSION.id), PHR);
  });

  it("a session that meets one of the values -> a code at once (the hot path: nothing parked), the code with its amr", async () => {
    signIn({ ...SESSION, amr: OTP });
    grantConsent(["openid", "email"]);
    expectCode(await get({ ...BASE, acr_values: `${PHR} ${MFA}` }, SESSION.id));
    expect(mem.requestRows.size).toBe(0);
    expect(codes()[0]!.amr).toEqual(OTP);
    expect(mem.calls).toMatchObject({ "sessions.findSignedIn": 1, "consents.find": 1, "codes.create": 1 });
    expect(mem.calls).not.toHaveProperty("requests.create");
  });

  it("a weaker value than the session's is met (single-factor asked, password session); a passkey session meets phr", async () => {
    signIn();
    grantConsent(["openid", "email"]);
    expectCode(await get({ ...BASE, acr_values: ONE }, SESSION.id));
    signIn({ ...SESSION, id: "session-hwk", amr: ["hwk", "user", "mfa"] });
    expectCode(await get({ ...BASE, acr_values: PHR }, "session-hwk"));
    // An otp session is not phishing-resistant.
    signIn({ ...SESSION, id: "session-otp", amr: OTP });
    expectStepUp(await get({ ...BASE, acr_values: PHR }, "session-otp"), PHR);
  });

  it("only values this server does not know -> ignored: a code, no step-up", async () => {
    signIn();
    grantConsent(["openid", "email"]);
    expectCode(await get({ ...BASE, acr_values: "urn:mace:incommon:iap:silver 2" }, SESSION.id));
    expect(mem.requestRows.size).toBe(0);
  });

  it("prompt=none and a session that does not meet them -> interaction_required (OIDC Core §3.1.2.6), with state and iss, nothing parked", async () => {
    signIn();
    grantConsent(["openid", "email"]);
    const q = expectClientError(await get({ ...BASE, acr_values: MFA, prompt: "none" }, SESSION.id), "interaction_required");
    expect(q.get("error_description")).toBe("The request's acr_values need a stronger sign-in");
    expect(mem.requestRows.size).toBe(0);
    expect(codes()).toHaveLength(0);
  });

  it("prompt=none signed out with acr_values -> login_required, as without them", async () => {
    expectClientError(await get({ ...BASE, acr_values: MFA, prompt: "none" }), "login_required");
  });

  it("signed out -> sign-in first; the continuation then sends a password session to the step-up, and issues once it is stepped up", async () => {
    const { requestId } = expectSignIn(await get({ ...BASE, acr_values: MFA }));
    grantConsent(["openid", "email"]);
    now = new Date(T0.getTime() + 10_000);
    const session = signIn({ ...SESSION, authTime: now });
    expect(expectStepUp(await continueWith(requestId, session), MFA)).toBe(requestId);
    // Skipping the step-up page: the continuation checks again.
    expect(expectStepUp(await continueWith(requestId, session), MFA)).toBe(requestId);
    expect(codes()).toHaveLength(0);
    now = new Date(T0.getTime() + 20_000);
    stepUp(session, OTP);
    expectCode(await continueWith(requestId, session));
    expect(codes()[0]).toMatchObject({ amr: OTP, authTime: now });
  });

  it("the step-up page's continuation, then consent: the code carries the stepped-up amr", async () => {
    signIn();
    const id = expectStepUp(await get({ ...BASE, acr_values: MFA }, SESSION.id), MFA);
    now = new Date(T0.getTime() + 5000);
    stepUp(SESSION.id, OTP);
    expect(expectConsentRedirect(await continueWith(id, SESSION.id))).toBe(id);
    const session = (await mem.sessions.findSignedIn(SESSION.id))!;
    const decided = await decideConsent(deps, { requestId: id, session, decision: "allow" });
    expect(decided).toMatchObject({ ok: true });
    expect(codes()).toHaveLength(1);
    expect(codes()[0]!.amr).toEqual(OTP);
  });

  it("max_age and acr_values both: a stale password session signs in again, then steps up, then gets its code", async () => {
    signIn(); // authenticated 60 s ago
    grantConsent(["openid", "email"]);
    const res = await get({ ...BASE, max_age: "30", acr_values: MFA }, SESSION.id);
    const { requestId } = expectSignIn(res);
    expect(new URL(res.headers.get("location")!, ISSUER).searchParams.get("prompt")).toBe("login");
    now = new Date(T0.getTime() + 5000);
    const fresh = signIn({ ...SESSION, id: "session-fresh", authTime: now });
    expectStepUp(await continueWith(requestId, fresh), MFA);
    stepUp(fresh, OTP);
    expectCode(await continueWith(requestId, fresh));
    // A fresh second factor alone does not excuse max_age: an old mfa session signs in again.
    signIn({ ...SESSION, id: "session-old-mfa", amr: OTP });
    expectSignIn(await get({ ...BASE, max_age: "30", acr_values: MFA }, "session-old-mfa"));
  });

  it("response_type=id_token: the ID token's acr is the session's actual level, not the one asked", async () => {
    const spa = testPublicClient({ id: "client-row-11", clientId: "spa-acr", redirectUris: [REDIRECT], grantTypes: ["implicit"] });
    mem.addClient(spa);
    signIn({ ...SESSION, amr: OTP });
    grantConsent(["openid"], spa);
    const res = await get({ client_id: "spa-acr", redirect_uri: REDIRECT, response_type: "id_token", scope: "openid", nonce: "n-1", acr_values: ONE }, SESSION.id);
    const location = res.headers.get("location") ?? "";
    const idToken = new URLSearchParams(location.slice(location.indexOf("#") + 1)).get("id_token")!;
    expect(await keys.verify(idToken, { typ: "JWT", audience: "spa-acr" })).toMatchObject({ acr: MFA, amr: OTP });
  });
});

// ---------------------------------------------------------------------------------------------
// The consent screen and its decision
// ---------------------------------------------------------------------------------------------

describe("consent", () => {
  async function parkForConsent(q: Query = BASE): Promise<string> {
    signIn();
    return expectConsentRedirect(await get(q, SESSION.id));
  }

  it("shows the client, the redirect host, new and already granted scopes", async () => {
    grantConsent(["openid"]);
    const id = await parkForConsent({ ...BASE, scope: "openid email profile" });
    expect(await loadConsent(deps, id, SESSION)).toEqual({
      ok: true,
      view: {
        requestId: id,
        client: { name: web.name, ownerName: web.ownerName, logoUrl: null, homepageUrl: null, verified: false },
        redirectHost: "app.example.com",
        documentHost: null,
        runsLocally: false,
        newScopes: [{ api: null, lines: [{ key: "email", text: SCOPES.email }, { key: "profile", text: SCOPES.profile }] }],
        grantedScopes: [{ api: null, lines: [{ key: "openid", text: SCOPES.openid }] }],
      },
    });
  });

  it("another session cannot see it", async () => {
    const id = await parkForConsent();
    expect(await loadConsent(deps, id, { ...SESSION, id: "session-9" })).toEqual({ ok: false, problem: "other_session" });
  });

  it("unknown and expired requests are problems, not crashes", async () => {
    expect(await loadConsent(deps, "nope", SESSION)).toEqual({ ok: false, problem: "not_found" });
    expect(await loadConsent(deps, null, SESSION)).toEqual({ ok: false, problem: "not_found" });
    const id = await parkForConsent();
    now = new Date(T0.getTime() + PENDING_REQUEST_TTL_SECONDS * 1000 + 1);
    expect(await loadConsent(deps, id, SESSION)).toEqual({ ok: false, problem: "expired" });
  });

  it("Allow -> consent stored for the stored scopes, a code to the stored redirect URI; no replay", async () => {
    grantConsent(["openid"]);
    const id = await parkForConsent();
    const result = await decideConsent(deps, { requestId: id, session: SESSION, decision: "allow" });
    expect(result.ok).toBe(true);
    const location = new URL(locationOf(result));
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
    expect([location.searchParams.get("state"), location.searchParams.get("iss")]).toEqual([BASE.state, ISSUER]);
    const code = location.searchParams.get("code") ?? "";
    expect(codes()[0]!.codeHash).toBe(sha256(code));
    expect(mem.consentOf(SESSION.userId, web.id)).toEqual(["openid", "email"]);
    expect(mem.requestRows.get(id)!.consumedAt).toEqual(T0);
    // The same request again, either answer: already decided, nothing more issued.
    expect(await decideConsent(deps, { requestId: id, session: SESSION, decision: "allow" })).toEqual({ ok: false, problem: "decided" });
    expect(await decideConsent(deps, { requestId: id, session: SESSION, decision: "deny" })).toEqual({ ok: false, problem: "decided" });
    expect(codes()).toHaveLength(1);
  });

  it("Deny -> access_denied with state and iss, audited; nothing granted or issued", async () => {
    const id = await parkForConsent();
    const result = await decideConsent(deps, { requestId: id, session: SESSION, decision: "deny" });
    const location = new URL(locationOf(result));
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
    expect(Object.fromEntries(location.searchParams)).toEqual({
      error: "access_denied",
      error_description: "The user denied the request",
      state: BASE.state,
      iss: ISSUER,
    });
    expect(mem.auditEvents).toEqual([
      { type: "consent.denied", actorId: SESSION.userId, subjectId: SESSION.userId, clientId: web.id, data: { scope: "openid email" } },
    ]);
    expect(codes()).toHaveLength(0);
    expect(mem.consentRows.size).toBe(0);
  });

  it("a decision from another session is refused and does not use up the request", async () => {
    const id = await parkForConsent();
    const other = { id: "session-2", sid: "public-sid-2", userId: "user-2", authTime: T0, amr: ["pwd"] };
    expect(await decideConsent(deps, { requestId: id, session: other, decision: "allow" })).toEqual({ ok: false, problem: "other_session" });
    expect(mem.requestRows.get(id)!.consumedAt).toBeNull();
    expect(codes()).toHaveLength(0);
  });

  it("an expired request cannot be decided", async () => {
    const id = await parkForConsent();
    now = new Date(T0.getTime() + PENDING_REQUEST_TTL_SECONDS * 1000);
    expect(await decideConsent(deps, { requestId: id, session: SESSION, decision: "allow" })).toEqual({ ok: false, problem: "expired" });
  });

  it("a client suspended in the meantime -> client_unavailable", async () => {
    const id = await parkForConsent();
    suspendWeb();
    expect(await decideConsent(deps, { requestId: id, session: SESSION, decision: "allow" })).toEqual({
      ok: false,
      problem: "client_unavailable",
    });
  });

  function suspendWeb() {
    mem.clientRows.get(web.clientId)!.suspended = true;
  }
});

// ---------------------------------------------------------------------------------------------
// response_mode=form_post and fragment (Form Post Response Mode §2, Multiple Response Types §2.1)
// ---------------------------------------------------------------------------------------------

/** Asserts a form_post page (200, no Location, no-store, CSP) posting to `action`; returns its fields. */
async function expectFormPost(res: Response, action = REDIRECT): Promise<Record<string, string>> {
  expect(res.status).toBe(200);
  expect(res.headers.get("location")).toBeNull();
  expect(res.headers.get("cache-control")).toBe("no-store");
  expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
  const origin = new URL(action).origin;
  expect(res.headers.get("content-security-policy")).toMatch(
    new RegExp(`^${HTML_PAGE_CSP.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}; script-src 'sha256-[A-Za-z0-9+/]{43}='; form-action ${origin}$`),
  );
  const html = await res.text();
  expect(html).toContain(`<form method="post" action="${action.replace(/&/g, "&amp;")}">`);
  expect(html).toContain('<button type="submit">Continue</button>');
  expect(html).toContain("<script>document.forms[0].submit()</script>");
  const fields: Record<string, string> = {};
  for (const m of html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) fields[m[1]!] = m[2]!;
  return fields;
}

describe("response_mode=form_post (code flow)", () => {
  const FORM_POST = { ...BASE, response_mode: "form_post" };

  it("signed in with consent: a page that posts code, state and iss; the code is in no URL", async () => {
    signIn();
    grantConsent(["openid", "email"]);
    const fields = await expectFormPost(await get(FORM_POST, SESSION.id));
    expect(Object.keys(fields)).toEqual(["code", "state", "iss"]);
    expect([fields.state, fields.iss]).toEqual([BASE.state, ISSUER]);
    expect(codes()[0]!.codeHash).toBe(sha256(fields.code!));
  });

  it("the script's hash in the CSP is the hash of the inline script", async () => {
    signIn();
    grantConsent(["openid", "email"]);
    const res = await get(FORM_POST, SESSION.id);
    const { createHash } = await import("node:crypto");
    const hash = createHash("sha256").update("document.forms[0].submit()").digest("base64");
    expect(res.headers.get("content-security-policy")).toContain(`script-src 'sha256-${hash}'`);
  });

  it("values are HTML-escaped (a state with markup cannot break out of the attribute)", async () => {
    signIn();
    grantConsent(["openid", "email"]);
    const state = `"><script>alert(1)</script>&'`;
    const res = await get({ ...FORM_POST, state }, SESSION.id);
    const html = await res.clone().text();
    expect(html).toContain('value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&amp;&#39;"');
    expect(html.match(/<script>/g)).toHaveLength(1);
    await expectFormPost(res);
  });

  it("an error after the redirect URI is trusted is posted too: error, error_description, state, iss", async () => {
    const fields = await expectFormPost(await get({ ...FORM_POST, scope: "nope" }));
    expect(fields).toEqual({ error: "invalid_scope", error_description: "Unknown scope nope", state: BASE.state, iss: ISSUER });
    expect(codes()).toHaveLength(0);
  });

  it("an error before the redirect URI is trusted stays a page (RFC 6749 §4.1.2.1)", async () => {
    await expectPage(await get({ ...FORM_POST, redirect_uri: "https://evil.example/cb" }));
  });

  it("keeps the registered redirect URI's query in the form's action", async () => {
    const withQueryUri = "https://app.example.com/cb?tenant=a%20b&x=1";
    const fields = await expectFormPost(await get({ ...FORM_POST, client_id: "with-query", redirect_uri: null, scope: "nope" }), withQueryUri);
    expect(fields.error).toBe("invalid_scope");
  });

  it("after sign-in, the continuation answers with the page", async () => {
    const { requestId } = expectSignIn(await get(FORM_POST));
    grantConsent(["openid", "email"]);
    const session = signIn({ ...SESSION, authTime: new Date(T0.getTime() + 1000) });
    const fields = await expectFormPost(await continueWith(requestId, session));
    expect(codes()[0]!.codeHash).toBe(sha256(fields.code!));
  });

  it("Allow on the consent screen: recorded, then delivered once by the continuation as the page (the code issued only then)", async () => {
    signIn();
    const id = expectConsentRedirect(await get(FORM_POST, SESSION.id));
    const allowed = await decideConsent(deps, { requestId: id, session: SESSION, decision: "allow" });
    expect(allowed).toEqual({ ok: true, continueAt: `/oauth/authorize/continue?request=${id}` });
    expect(mem.requestRows.get(id)).toMatchObject({ consumedAt: T0, decision: "allow" });
    expect(codes()).toHaveLength(0);
    expect(mem.consentOf(SESSION.userId, web.id)).toEqual(["openid", "email"]);
    // Another session cannot take it, and that does not use it up.
    const other = signIn({ ...SESSION, id: "session-2", sid: "public-sid-2" });
    await expectPage(await continueWith(id, other));
    const fields = await expectFormPost(await continueWith(id, SESSION.id));
    expect(Object.keys(fields)).toEqual(["code", "state", "iss"]);
    expect(codes()[0]!.codeHash).toBe(sha256(fields.code!));
    // Once only: the decision is taken.
    const again = await expectPage(await continueWith(id, SESSION.id));
    expect(again).toContain("This sign-in request has expired");
    expect(codes()).toHaveLength(1);
    expect(await decideConsent(deps, { requestId: id, session: SESSION, decision: "allow" })).toEqual({ ok: false, problem: "decided" });
  });

  it("Deny on the consent screen: access_denied posted by the continuation, nothing issued", async () => {
    signIn();
    const id = expectConsentRedirect(await get(FORM_POST, SESSION.id));
    expect(await decideConsent(deps, { requestId: id, session: SESSION, decision: "deny" })).toEqual({
      ok: true,
      continueAt: `/oauth/authorize/continue?request=${id}`,
    });
    expect(await expectFormPost(await continueWith(id, SESSION.id))).toEqual({
      error: "access_denied",
      error_description: "The user denied the request",
      state: BASE.state,
      iss: ISSUER,
    });
    expect(codes()).toHaveLength(0);
    expect(mem.consentRows.size).toBe(0);
  });

  it("response_mode=fragment puts the code in the fragment", async () => {
    signIn();
    grantConsent(["openid", "email"]);
    const res = await get({ ...BASE, response_mode: "fragment" }, SESSION.id);
    const location = res.headers.get("location") ?? "";
    expect(location.startsWith(`${REDIRECT}#code=`)).toBe(true);
    const f = new URLSearchParams(location.slice(location.indexOf("#") + 1));
    expect([f.get("state"), f.get("iss")]).toEqual([BASE.state, ISSUER]);
    expect(codes()[0]!.codeHash).toBe(sha256(f.get("code")!));
  });

  it("an unknown response_mode -> invalid_request, in the query", async () => {
    const q = expectClientError(await get({ ...BASE, response_mode: "jwt" }), "invalid_request");
    expect(q.get("error_description")).toBe("response_mode must be query, fragment or form_post");
  });
});

// ---------------------------------------------------------------------------------------------
// response_type=id_token (OIDC Core §3.2: login only, no access token in the front channel)
// ---------------------------------------------------------------------------------------------

describe("response_type=id_token", () => {
  const spa = testPublicClient({ id: "client-row-10", clientId: "spa", redirectUris: [REDIRECT], grantTypes: ["implicit"], signingAlg: "RS256" });
  const ID_TOKEN = { client_id: "spa", redirect_uri: REDIRECT, response_type: "id_token", scope: "openid profile email", state: "st-1", nonce: "n-0S6_WzA2Mj" };
  beforeEach(() => {
    mem.addClient(spa);
  });

  function fragmentOf(res: Response): URLSearchParams {
    expect(res.status).toBe(302);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const location = res.headers.get("location") ?? "";
    expect(location.startsWith(`${REDIRECT}#`)).toBe(true);
    return new URLSearchParams(location.slice(location.indexOf("#") + 1));
  }

  it("signed in with consent: an ID token in the fragment (no code, no access token), nothing stored", async () => {
    signIn();
    mem.addUser(makeUser({ id: SESSION.userId, name: "Ada", email: "ada@example.test", emailVerified: false, updatedAt: new Date("2029-12-01T00:00:00Z") }));
    grantConsent(["openid", "profile", "email"], spa);
    const f = fragmentOf(await get(ID_TOKEN, SESSION.id));
    expect([...f.keys()]).toEqual(["id_token", "state", "iss"]);
    expect([f.get("state"), f.get("iss")]).toEqual(["st-1", ISSUER]);
    const claims = await keys.verify(f.get("id_token")!, { typ: "JWT", audience: "spa" });
    const iat = Math.floor(T0.getTime() / 1000);
    expect(claims).toEqual({
      iss: ISSUER,
      sub: SESSION.userId,
      aud: "spa",
      azp: "spa",
      iat,
      exp: iat + 3600,
      auth_time: Math.floor(SESSION.authTime.getTime() / 1000),
      acr: "urn:latchkey:acr:single-factor",
      amr: ["pwd"],
      nonce: "n-0S6_WzA2Mj",
      sid: SESSION.sid,
      // OIDC Core §5.4: no access token, so the claims of the granted scopes are in the ID token.
      name: "Ada",
      updated_at: Math.floor(new Date("2029-12-01T00:00:00Z").getTime() / 1000),
      email: "ada@example.test",
      email_verified: false,
    });
    const { decodeProtectedHeader } = await import("jose");
    expect(decodeProtectedHeader(f.get("id_token")!).alg).toBe("RS256");
    expect(codes()).toHaveLength(0);
    expect(mem.accessRows.size).toBe(0);
    expect(mem.auditEvents).toEqual([{ type: "id_token.issued", subjectId: SESSION.userId, clientId: spa.id, data: { scope: "openid profile email" } }]);
  });

  it("the client's switch does not remove the claims here: with no access token, userinfo cannot give them", async () => {
    mem.addClient({ ...spa, idTokenUserClaims: false });
    signIn();
    grantConsent(["openid", "email"], spa);
    const f = fragmentOf(await get({ ...ID_TOKEN, scope: "openid email" }, SESSION.id));
    expect(await keys.verify(f.get("id_token")!, { typ: "JWT", audience: "spa" })).toHaveProperty("email");
  });

  it("response_mode=form_post: the ID token is posted", async () => {
    signIn();
    grantConsent(["openid", "profile", "email"], spa);
    const fields = await expectFormPost(await get({ ...ID_TOKEN, response_mode: "form_post" }, SESSION.id));
    expect(Object.keys(fields)).toEqual(["id_token", "state", "iss"]);
    await expect(keys.verify(fields.id_token!, { typ: "JWT", audience: "spa" })).resolves.toMatchObject({ nonce: "n-0S6_WzA2Mj" });
  });

  it("no nonce -> invalid_request in the fragment (OIDC Core §3.2.2.1, §3.2.2.6)", async () => {
    const f = fragmentOf(await get({ ...ID_TOKEN, nonce: null }));
    expect(Object.fromEntries(f)).toEqual({ error: "invalid_request", error_description: "nonce is required for response_type=id_token", state: "st-1", iss: ISSUER });
  });

  it("response_mode=query -> invalid_request, in the fragment", async () => {
    const f = fragmentOf(await get({ ...ID_TOKEN, response_mode: "query" }));
    expect(f.get("error_description")).toBe("response_mode=query is not allowed for response_type=id_token");
  });

  it("a client without the implicit grant -> unauthorized_client in the fragment", async () => {
    const res = await get({ ...ID_TOKEN, client_id: "web-app" });
    expect(res.headers.get("location")?.startsWith(`${REDIRECT}#error=unauthorized_client&`)).toBe(true);
  });

  it("offline_access is ignored (OIDC Core §11): consent is asked for the rest only", async () => {
    const spaOffline = { ...spa, scopes: ["openid", "profile", "email", "offline_access"] };
    mem.addClient(spaOffline);
    signIn();
    const id = expectConsentRedirect(await get({ ...ID_TOKEN, scope: "openid offline_access" }, SESSION.id));
    expect(mem.requestRows.get(id)!.params.scope).toEqual(["openid"]);
  });

  it("after consent: Allow -> ID token in the fragment; Deny -> access_denied in the fragment", async () => {
    signIn();
    const allowId = expectConsentRedirect(await get(ID_TOKEN, SESSION.id));
    const allowed = await decideConsent(deps, { requestId: allowId, session: SESSION, decision: "allow" });
    const loc = locationOf(allowed);
    expect(loc.startsWith(`${REDIRECT}#id_token=`)).toBe(true);
    mem.consentRows.clear();
    const denyId = expectConsentRedirect(await get(ID_TOKEN, SESSION.id));
    const denied = await decideConsent(deps, { requestId: denyId, session: SESSION, decision: "deny" });
    expect(locationOf(denied)).toBe(`${REDIRECT}#error=access_denied&error_description=The+user+denied+the+request&state=st-1&iss=${encodeURIComponent(ISSUER)}`);
  });
});

describe("errorPage", () => {
  it("escapes the text it shows", async () => {
    const html = await expectPage(await webHandler(async () => errorPage(400, "<b>x</b>", `"quoted" & 'single'`))(new Request(ISSUER)));
    expect(html).toContain("&lt;b&gt;x&lt;/b&gt;");
    expect(html).toContain("&quot;quoted&quot; &amp; &#39;single&#39;");
    expect(html).not.toContain("<b>");
  });
});

describe("authorizationResponseUrl", () => {
  it.each([
    ["https://a.example/cb", "https://a.example/cb?code=c"],
    ["https://a.example/cb?", "https://a.example/cb?code=c"],
    ["https://a.example/cb?x=%2F&y", "https://a.example/cb?x=%2F&y&code=c"],
    ["https://a.example/cb?x=1&", "https://a.example/cb?x=1&code=c"],
    ["com.example.app:/cb", "com.example.app:/cb?code=c"],
  ])("%s -> %s", (uri, want) => {
    expect(authorizationResponseUrl(uri, { code: "c", state: null })).toBe(want);
  });
});
