// Helpers for the OAuth 2.0 / OpenID Connect end-to-end specs: a client registered through the
// CLI, a relying party built with openid-client (the certified RP library) from the server's
// discovery document, a tiny loopback server standing in for the client's redirect_uri, and
// the consent screen as a page object.
//
// Of the OAuth endpoints only discovery is addressed by path; every other endpoint URL comes
// from the discovery document, as a real relying party would do it.
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, type Locator, type Page } from "@playwright/test";
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify, type JWTPayload } from "jose";
import * as client from "openid-client";
import { BASE_URL } from "../env";
import { SCOPES, type Scope } from "../../lib/oauth/scopes";
import { cliInProcess } from "./cli";
import { SignInPage } from "./pages";
import type { TestUser } from "./users";

/** The scopes every flow asks for: the CLI's default client scope. */
export const FLOW_SCOPES = ["openid", "profile", "email", "offline_access"] as const satisfies readonly Scope[];
export const FLOW_SCOPE = FLOW_SCOPES.join(" ");

/** The issuer the server is started with (ISSUER = BASE_URL, see e2e/env.ts). */
export const ISSUER = BASE_URL;

/** Scope strings compared as sets (RFC 6749 §3.3: order does not matter). */
export function scopeSet(scope: string | undefined | null): string[] {
  return (scope ?? "").split(" ").filter(Boolean).sort();
}

// ---------------------------------------------------------------------------------------------
// The redirect_uri: a real HTTP server on a free loopback port.
//
// Playwright's page.route() is not called for the target of an HTTP redirect, and the
// authorization endpoint answers with one, so a route cannot catch the callback. A listening
// server can, however the browser gets there (302/303, server action, meta refresh).
// ---------------------------------------------------------------------------------------------

const CALLBACK_HTML =
  '<!doctype html><html><head><link rel="icon" href="data:,"><title>callback</title></head>' +
  "<body><h1>Back at the client</h1></body></html>";

export class CallbackServer {
  /** Every request the server received, in order (any path). */
  readonly hits: URL[] = [];
  private server: Server | undefined;
  private port = 0;

  private constructor() {}

  static async start(): Promise<CallbackServer> {
    const callbacks = new CallbackServer();
    const server = createServer((req, res) => {
      callbacks.hits.push(new URL(req.url ?? "/", callbacks.origin));
      res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
      res.end(CALLBACK_HTML);
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve());
    });
    callbacks.server = server;
    callbacks.port = (server.address() as AddressInfo).port;
    return callbacks;
  }

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The redirect_uri to register: `http://127.0.0.1:<port>/callback` (RFC 8252 loopback). */
  get redirectUri(): string {
    return `${this.origin}/callback`;
  }

  /**
   * Runs `action` (which should end in the browser being sent back to the client) and returns
   * the URL the browser arrived at on the redirect_uri. Asserts it happened exactly once and
   * that the page is showing it.
   */
  async capture(page: Page, action: () => Promise<unknown>, timeout = 15_000): Promise<URL> {
    const callbackPath = new URL(this.redirectUri).pathname;
    const arrivals = () => this.hits.filter((u) => u.pathname === callbackPath);
    const before = arrivals().length;
    await action();
    await expect
      .poll(() => arrivals().length, { timeout, message: `the browser is sent back to ${this.redirectUri}` })
      .toBeGreaterThan(before);
    const all = arrivals();
    expect(all.length, "the browser arrives at the redirect_uri exactly once").toBe(before + 1);
    const hit = all[before]!;
    await expect(page).toHaveURL(hit.href);
    return hit;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

// ---------------------------------------------------------------------------------------------
// Client registration (CLI) and the relying party (openid-client).
// ---------------------------------------------------------------------------------------------

export type ClientKind = "confidential" | "public";

export interface RegisteredClient {
  kind: ClientKind;
  name: string;
  clientId: string;
  /** Only for confidential clients. */
  clientSecret?: string;
  redirectUri: string;
}

/** Registers a client with the CLI's `client create` (run in this worker), with the default scope and grants. */
export async function registerClient(kind: ClientKind, redirectUri: string): Promise<RegisteredClient> {
  const name = `E2E ${kind} app ${randomBytes(3).toString("hex")}`;
  const args = ["client", "create", "--name", name, "--redirect-uri", redirectUri];
  if (kind === "public") args.push("--public");
  const out = await cliInProcess(args);
  if (typeof out !== "object" || out === null || !("client_id" in out) || typeof out.client_id !== "string") {
    throw new Error(`cli client create printed ${JSON.stringify(out)}, expected {"client_id": ...}`);
  }
  const secret = "client_secret" in out ? out.client_secret : undefined;
  if (kind === "confidential" && (typeof secret !== "string" || secret.length === 0)) {
    throw new Error(`cli client create printed no client_secret for a confidential client: ${JSON.stringify(out)}`);
  }
  if (kind === "public" && secret !== undefined) {
    throw new Error(`cli client create --public printed a client_secret: ${JSON.stringify(out)}`);
  }
  return {
    kind,
    name,
    clientId: out.client_id,
    ...(typeof secret === "string" ? { clientSecret: secret } : {}),
    redirectUri,
  };
}

/** One HTTP exchange made by openid-client, recorded to assert on headers. */
export interface RecordedResponse {
  url: string;
  method: string;
  status: number;
  headers: Headers;
}

/** What the client keeps between sending the user away and getting the callback. */
export interface AuthorizationRequest {
  url: URL;
  state: string;
  nonce: string;
  codeVerifier: string;
}

export type TokenResponse = Awaited<ReturnType<typeof client.authorizationCodeGrant>>;

function clientAuth(registered: RegisteredClient): client.ClientAuth {
  return registered.clientSecret ? client.ClientSecretBasic(registered.clientSecret) : client.None();
}

export class RelyingParty {
  /** Every response openid-client received after discovery, oldest first. */
  readonly responses: RecordedResponse[] = [];

  private constructor(
    readonly registered: RegisteredClient,
    readonly config: client.Configuration,
  ) {}

  /**
   * Discovers the server (OpenID Provider metadata) for `registered`: client_secret_basic
   * for a confidential client, `none` (PKCE only) for a public one. ID Token signatures are
   * checked against the JWKS too (enableNonRepudiationChecks).
   */
  static async discover(registered: RegisteredClient): Promise<RelyingParty> {
    const config = await client.discovery(new URL(ISSUER), registered.clientId, undefined, clientAuth(registered), {
      execute: [client.allowInsecureRequests, client.enableNonRepudiationChecks],
    });
    const rp = new RelyingParty(registered, config);
    config[client.customFetch] = rp.recordingFetch;
    return rp;
  }

  /** openid-client's fetch: records every response in `responses`. */
  private readonly recordingFetch: client.CustomFetch = async (url, options) => {
    // CustomFetchOptions is what fetch takes; only TypeScript's Uint8Array<ArrayBufferLike>
    // vs BodyInit typing disagrees (openid-client never sends a Uint8Array body here).
    const response = await fetch(url, options as RequestInit);
    this.responses.push({ url, method: options.method, status: response.status, headers: response.headers });
    return response;
  };

  /**
   * The same configuration with nothing cached, for the calls that verify an ID Token: it fetches
   * the JWKS when it needs it. openid-client keeps a fetched JWKS and, meeting an unknown `kid`,
   * fetches it again only when its copy is a minute old; the key rotation test (admin.spec.ts)
   * may run beside this test in the other worker, and a token signed with a key made after this
   * client's last fetch must still verify.
   */
  private uncached(): client.Configuration {
    const config = new client.Configuration(this.config.serverMetadata(), this.registered.clientId, undefined, clientAuth(this.registered));
    client.allowInsecureRequests(config);
    client.enableNonRepudiationChecks(config);
    config[client.customFetch] = this.recordingFetch;
    return config;
  }

  /** The discovered server metadata. */
  get server(): ReturnType<client.Configuration["serverMetadata"]> {
    return this.config.serverMetadata();
  }

  /** Responses from the endpoint advertised as `endpoint` in discovery. */
  responsesFrom(endpoint: "token_endpoint" | "introspection_endpoint" | "revocation_endpoint" | "userinfo_endpoint") {
    const url = this.server[endpoint];
    if (!url) throw new Error(`discovery advertises no ${endpoint}`);
    return this.responses.filter((r) => r.url === url);
  }

  /** A fresh authorization request: code flow, PKCE S256, state and nonce, FLOW_SCOPE. */
  async authorizationRequest(extra: Record<string, string> = {}): Promise<AuthorizationRequest> {
    const codeVerifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const url = client.buildAuthorizationUrl(this.config, {
      redirect_uri: this.registered.redirectUri,
      scope: FLOW_SCOPE,
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: "S256",
      state,
      nonce,
      ...extra,
    });
    return { url, state, nonce, codeVerifier };
  }

  /**
   * The code exchange, with everything openid-client checks: the callback's state and iss
   * (RFC 9207), PKCE, and the ID Token (signature, iss, aud, nonce, at_hash, exp...).
   */
  exchange(callback: URL, request: AuthorizationRequest, codeVerifier = request.codeVerifier): Promise<TokenResponse> {
    return client.authorizationCodeGrant(this.uncached(), callback, {
      pkceCodeVerifier: codeVerifier,
      expectedState: request.state,
      expectedNonce: request.nonce,
      idTokenExpected: true,
    });
  }

  refresh(refreshToken: string) {
    return client.refreshTokenGrant(this.uncached(), refreshToken);
  }

  userinfo(accessToken: string, expectedSub: string) {
    return client.fetchUserInfo(this.config, accessToken, expectedSub);
  }

  introspect(token: string) {
    return client.tokenIntrospection(this.config, token);
  }

  revoke(token: string) {
    return client.tokenRevocation(this.config, token);
  }

  /**
   * Verifies an access token as a resource server would (RFC 9068 §4): signature against
   * the advertised JWKS, header typ "at+jwt", issuer; returns its claims.
   */
  async verifyAccessToken(accessToken: string): Promise<JWTPayload> {
    expect(decodeProtectedHeader(accessToken).typ, "access token header typ (RFC 9068 §2.1)").toBe("at+jwt");
    const jwksUri = this.server.jwks_uri;
    if (!jwksUri) throw new Error("discovery advertises no jwks_uri");
    const { payload } = await jwtVerify(accessToken, createRemoteJWKSet(new URL(jwksUri)), {
      issuer: ISSUER,
      typ: "at+jwt",
    });
    return payload;
  }
}

/** The error `promise` rejects with; fails the test, saying `expected`, when it resolves. */
export async function rejectionOf(promise: Promise<unknown>, expected: string): Promise<unknown> {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  throw new Error(`expected ${expected}, but the request succeeded`);
}

/** Asserts that `promise` rejects with the OAuth error `error` in a JSON error response. */
export async function expectOAuthError(promise: Promise<unknown>, error: string, status = 400): Promise<void> {
  const thrown = await rejectionOf(promise, `the OAuth error ${error}`);
  expect(thrown, `expected an OAuth error response "${error}"`).toBeInstanceOf(client.ResponseBodyError);
  const e = thrown as client.ResponseBodyError;
  expect({ error: e.error, status: e.status }).toEqual({ error, status });
}

/** Asserts that `promise` rejects with an RFC 6750 challenge: 401, WWW-Authenticate error=invalid_token. */
export async function expectInvalidTokenChallenge(promise: Promise<unknown>): Promise<void> {
  const thrown = await rejectionOf(promise, "401 with WWW-Authenticate: Bearer error=\"invalid_token\"");
  expect(thrown, "expected a WWW-Authenticate challenge").toBeInstanceOf(client.WWWAuthenticateChallengeError);
  const e = thrown as client.WWWAuthenticateChallengeError;
  expect(e.status).toBe(401);
  expect(e.response.headers.get("www-authenticate") ?? "").toMatch(/^Bearer\b/i);
  expect(e.cause.map((c) => c.parameters.error)).toContain("invalid_token");
}

// ---------------------------------------------------------------------------------------------
// Browser side: sign-in for an authorization, and the consent screen.
// ---------------------------------------------------------------------------------------------

/** Asserts the browser was sent to /signin with a callbackUrl, and signs `user` in there. */
export async function signInForAuthorization(page: Page, user: TestUser): Promise<void> {
  await expect(page).toHaveURL(
    (url) => url.origin === BASE_URL && url.pathname === "/signin" && (url.searchParams.get("callbackUrl") ?? "") !== "",
  );
  const signIn = new SignInPage(page);
  await expect(signIn.submit).toBeVisible();
  await signIn.signIn(user.email, user.password);
}

export class ConsentPage {
  readonly allow: Locator;
  readonly deny: Locator;

  constructor(readonly page: Page) {
    this.allow = page.getByRole("button", { name: "Allow", exact: true });
    this.deny = page.getByRole("button", { name: "Deny", exact: true });
  }

  /**
   * Asserts this is the consent screen for `registered`: on /consent, naming the client and
   * the host it sends the user back to, and each requested scope in plain words.
   */
  async expectFor(registered: RegisteredClient, scopes: readonly Scope[] = FLOW_SCOPES): Promise<void> {
    await expect(this.page).toHaveURL((url) => url.origin === BASE_URL && url.pathname === "/consent");
    await expect(this.allow).toBeVisible();
    await expect(this.deny).toBeVisible();
    const body = this.page.locator("body");
    await expect(body).toContainText(registered.name);
    await expect(body).toContainText(new URL(registered.redirectUri).hostname);
    for (const scope of scopes) {
      await expect(body, `scope ${scope} in plain words`).toContainText(SCOPES[scope]);
    }
  }
}

/**
 * A whole first authorization in the browser for a signed-out `user`: authorization request
 * -> sign-in -> consent screen -> `decision`. Returns the callback URL the browser lands on.
 */
export async function authorizeInBrowser(
  page: Page,
  rp: RelyingParty,
  callbacks: CallbackServer,
  user: TestUser,
  request: AuthorizationRequest,
  decision: "Allow" | "Deny" = "Allow",
): Promise<URL> {
  return callbacks.capture(page, async () => {
    await page.goto(request.url.href);
    await signInForAuthorization(page, user);
    const consent = new ConsentPage(page);
    await consent.expectFor(rp.registered);
    await (decision === "Allow" ? consent.allow : consent.deny).click();
  });
}

/** Asserts a successful authorization response (RFC 6749 §4.1.2, RFC 9207) and returns the code. */
export function expectCodeCallback(callback: URL, request: AuthorizationRequest): string {
  const params = Object.fromEntries(callback.searchParams);
  expect(params.error, `no error in the callback ${callback.href}`).toBeUndefined();
  expect(params.state).toBe(request.state);
  expect(params.iss).toBe(ISSUER);
  expect(params.code ?? "").not.toBe("");
  return params.code!;
}

/** Asserts an error authorization response (RFC 6749 §4.1.2.1, RFC 9207) carrying `error`. */
export function expectErrorCallback(callback: URL, request: AuthorizationRequest, error: string): void {
  const params = Object.fromEntries(callback.searchParams);
  expect(params.error).toBe(error);
  expect(params.state).toBe(request.state);
  expect(params.iss).toBe(ISSUER);
  expect(params.code, "no code alongside an error").toBeUndefined();
}

/**
 * Sign-in, consent and code exchange for a fresh `user`: the starting point of the token
 * tests. Returns the request and the token response.
 */
export async function obtainTokens(
  page: Page,
  rp: RelyingParty,
  callbacks: CallbackServer,
  user: TestUser,
): Promise<{ request: AuthorizationRequest; tokens: TokenResponse }> {
  const request = await rp.authorizationRequest();
  const callback = await authorizeInBrowser(page, rp, callbacks, user, request);
  expectCodeCallback(callback, request);
  const tokens = await rp.exchange(callback, request);
  return { request, tokens };
}

/** Records the URL of every top-level document request of `page` (redirect hops included). */
export function recordNavigations(page: Page): URL[] {
  const urls: URL[] = [];
  page.on("request", (request) => {
    if (request.isNavigationRequest() && request.frame() === page.mainFrame()) urls.push(new URL(request.url()));
  });
  return urls;
}

/**
 * Asserts that `promise` rejects because the token endpoint refused the client's credentials:
 * 401 invalid_client (RFC 6749 §5.2). With HTTP Basic the server also sends a WWW-Authenticate
 * challenge, which openid-client reports as such; the body must still say invalid_client.
 */
export async function expectInvalidClient(promise: Promise<unknown>): Promise<void> {
  const thrown = await rejectionOf(promise, "401 invalid_client");
  if (thrown instanceof client.WWWAuthenticateChallengeError) {
    expect(thrown.status).toBe(401);
    const body: unknown = await thrown.response.json();
    expect(body).toMatchObject({ error: "invalid_client" });
    return;
  }
  expect(thrown, "expected the token endpoint to refuse the client").toBeInstanceOf(client.ResponseBodyError);
  const e = thrown as client.ResponseBodyError;
  expect({ error: e.error, status: e.status }).toEqual({ error: "invalid_client", status: 401 });
}
