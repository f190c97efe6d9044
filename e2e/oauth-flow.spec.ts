// The OAuth 2.0 / OpenID Connect authorization code flow, end to end, driven by openid-client
// (the certified relying-party library) and a real browser. Every endpoint URL comes from the
// discovery document; only the discovery tests name the paths, to check what is advertised.
import type { Page } from "@playwright/test";
import * as client from "openid-client";
import { BASE_URL } from "./env";
import { ACR } from "../lib/oauth/amr";
import { SignInPage, expect, test } from "./support";
import {
  CallbackServer,
  ConsentPage,
  FLOW_SCOPE,
  ISSUER,
  RelyingParty,
  authorizeInBrowser,
  expectCodeCallback,
  expectErrorCallback,
  expectInvalidClient,
  expectInvalidTokenChallenge,
  expectOAuthError,
  obtainTokens,
  recordNavigations,
  registerClient,
  rejectionOf,
  scopeSet,
  signInForAuthorization,
  type ClientKind,
} from "./support/oauth";

const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** Asserts the last response from the token endpoint was a 200 with Cache-Control: no-store. */
function expectLastTokenResponseNotCached(rp: RelyingParty): void {
  const last = rp.responsesFrom("token_endpoint").at(-1);
  expect(last, "a token endpoint response was recorded").toBeDefined();
  expect(last!.status).toBe(200);
  expect(last!.headers.get("cache-control") ?? "", "token response Cache-Control (RFC 6749 §5.1)").toContain(
    "no-store",
  );
}

/** Asserts the promise rejects with an error authorization response carrying `error`. */
async function expectAuthorizationError(promise: Promise<unknown>, error: string): Promise<void> {
  const thrown = await rejectionOf(promise, `the authorization error ${error}`);
  expect(thrown).toBeInstanceOf(client.AuthorizationResponseError);
  expect((thrown as client.AuthorizationResponseError).error).toBe(error);
}

// ---------------------------------------------------------------------------------------------

test.describe("discovery", () => {
  const ENDPOINTS = {
    authorization_endpoint: "/oauth/authorize",
    token_endpoint: "/oauth/token",
    userinfo_endpoint: "/oauth/userinfo",
    jwks_uri: "/.well-known/jwks.json",
    revocation_endpoint: "/oauth/revoke",
    introspection_endpoint: "/oauth/introspect",
    end_session_endpoint: "/oauth/logout",
  } as const;

  for (const path of ["/.well-known/openid-configuration", "/.well-known/oauth-authorization-server"]) {
    test(`${path} advertises the issuer and every endpoint`, async ({ request }) => {
      const response = await request.get(path);
      expect(response.status()).toBe(200);
      expect(response.headers()["content-type"]).toMatch(/^application\/json\b/);
      const metadata = (await response.json()) as Record<string, unknown>;

      expect(metadata.issuer).toBe(ISSUER);
      for (const [name, endpointPath] of Object.entries(ENDPOINTS)) {
        expect(metadata[name], name).toBe(`${BASE_URL}${endpointPath}`);
      }
      expect(metadata.response_types_supported).toContain("code");
      // PKCE with S256 (RFC 7636, RFC 9700 §2.1.1).
      expect(metadata.code_challenge_methods_supported).toContain("S256");
      // Required by OpenID Connect Discovery 1.0 §3.
      expect(Array.isArray(metadata.subject_types_supported)).toBe(true);
      expect(metadata.id_token_signing_alg_values_supported).toEqual(expect.arrayContaining([expect.any(String)]));
    });
  }

  test("the JWKS publishes public signing keys only", async ({ request }) => {
    const discovery = await request.get("/.well-known/openid-configuration");
    expect(discovery.status()).toBe(200);
    const { jwks_uri } = (await discovery.json()) as { jwks_uri: string };
    const response = await request.get(jwks_uri);
    expect(response.status()).toBe(200);
    const { keys } = (await response.json()) as { keys: Record<string, unknown>[] };
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) {
      expect(typeof key.kid, "every key has a kid").toBe("string");
      // No private (or symmetric) key material: d, p, q, dp, dq, qi, oth, k.
      for (const member of ["d", "p", "q", "dp", "dq", "qi", "oth", "k"]) {
        expect(key, `JWK member ${member}`).not.toHaveProperty(member);
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------
// The whole flow, once for each kind of client. Each group has its own client and redirect_uri;
// each test its own fresh user (the `user` fixture), so the consent screen always shows first.

const KINDS: { kind: ClientKind; auth: string }[] = [
  { kind: "confidential", auth: "client_secret_basic" },
  { kind: "public", auth: "none + PKCE" },
];

for (const { kind, auth } of KINDS) {
  test.describe(`${kind} client (${auth})`, () => {
    let callbacks: CallbackServer;
    let rp: RelyingParty;

    test.beforeAll(async () => {
      callbacks = await CallbackServer.start();
      rp = await RelyingParty.discover(await registerClient(kind, callbacks.redirectUri));
    });
    test.afterAll(async () => {
      await callbacks?.close();
    });

    test("sign-in, consent and code exchange give validated ID and access tokens", async ({ page, user }) => {
      const startedAt = nowSeconds();
      expect(rp.server.issuer).toBe(ISSUER);

      const request = await rp.authorizationRequest();
      expect(`${request.url.origin}${request.url.pathname}`).toBe(rp.server.authorization_endpoint);
      expect(request.url.searchParams.get("code_challenge_method")).toBe("S256");

      const callback = await authorizeInBrowser(page, rp, callbacks, user, request);
      expectCodeCallback(callback, request);

      // openid-client checks state, iss, PKCE, and the ID Token's signature, iss, aud, nonce,
      // exp, iat and at_hash.
      const tokens = await rp.exchange(callback, request);
      expectLastTokenResponseNotCached(rp);
      expect(tokens.token_type.toLowerCase()).toBe("bearer");
      expect(tokens.expires_in).toBeGreaterThan(0);
      expect(tokens.refresh_token ?? "", "a refresh token for offline_access").not.toBe("");

      // The ID Token's claims.
      const id = tokens.claims();
      if (!id) throw new Error("no id_token in the token response");
      expect(id.iss).toBe(ISSUER);
      expect([id.aud].flat()).toEqual([rp.registered.clientId]);
      expect(id.nonce).toBe(request.nonce);
      expect(id.sub).toMatch(/\S/);
      expect(typeof id.auth_time).toBe("number");
      // The user signed in during this test.
      expect(id.auth_time!).toBeGreaterThanOrEqual(startedAt - 1);
      expect(id.auth_time!).toBeLessThanOrEqual(nowSeconds() + 1);

      // The access token: a signed JWT, typ at+jwt, with the RFC 9068 claims.
      const at = await rp.verifyAccessToken(tokens.access_token);
      expect(at.iss).toBe(ISSUER);
      expect(at.sub).toBe(id.sub);
      expect(at.client_id).toBe(rp.registered.clientId);
      expect(scopeSet(String(at.scope))).toEqual(scopeSet(FLOW_SCOPE));
      expect([at.aud].flat().filter((a) => typeof a === "string" && a !== "").length, "aud").toBeGreaterThan(0);
      expect(at.jti).toMatch(/\S/);
      expect(at.auth_time).toBe(id.auth_time);
      expect(at.iat!).toBeGreaterThanOrEqual(startedAt - 1);
      expect(at.iat!).toBeLessThanOrEqual(nowSeconds() + 1);
      expect(at.exp!).toBeGreaterThan(nowSeconds());

      // UserInfo, for the same subject.
      const info = await rp.userinfo(tokens.access_token, id.sub);
      expect(info.sub).toBe(id.sub);
      expect(info.email).toBe(user.email);
      expect(typeof info.email_verified).toBe("boolean");
      expect(info.name).toBe(user.name);

      // A code is good for one exchange only (RFC 6749 §4.1.2).
      await expectOAuthError(rp.exchange(callback, request), "invalid_grant");
    });

    test("the code is refused with a code_verifier that does not match the challenge", async ({ page, user }) => {
      const request = await rp.authorizationRequest();
      const callback = await authorizeInBrowser(page, rp, callbacks, user, request);
      expectCodeCallback(callback, request);

      // RFC 7636 §4.6: a verifier that does not hash to the code_challenge -> invalid_grant.
      await expectOAuthError(rp.exchange(callback, request, client.randomPKCECodeVerifier()), "invalid_grant");
    });

    if (kind === "confidential") {
      test("the code is refused to a wrong client secret", async ({ page, user }) => {
        const request = await rp.authorizationRequest();
        const callback = await authorizeInBrowser(page, rp, callbacks, user, request);
        expectCodeCallback(callback, request);

        const impostor = await RelyingParty.discover({ ...rp.registered, clientSecret: "not-the-secret" });
        await expectInvalidClient(impostor.exchange(callback, request));
      });
    }

    test("refresh rotates the refresh token; a retry gets the same answer; reuse once the successor was used revokes the family", async ({ page, user }) => {
      const { tokens } = await obtainTokens(page, rp, callbacks, user);
      const sub = tokens.claims()!.sub;
      const first = tokens.refresh_token!;

      const refreshed = await rp.refresh(first);
      expectLastTokenResponseNotCached(rp);
      const second = refreshed.refresh_token ?? "";
      expect(second, "a new refresh token").not.toBe("");
      expect(second).not.toBe(first);
      expect(refreshed.access_token).not.toBe(tokens.access_token);
      const at = await rp.verifyAccessToken(refreshed.access_token);
      expect(at.sub).toBe(sub);
      expect(at.client_id).toBe(rp.registered.clientId);
      expect((await rp.userinfo(refreshed.access_token, sub)).sub).toBe(sub);

      // A retry with the just-rotated token (the answer was lost) gets the same successor.
      expect((await rp.refresh(first)).refresh_token).toBe(second);
      const third = (await rp.refresh(second)).refresh_token ?? "";
      expect(third).not.toBe("");
      // Once the successor was used, reuse of the rotated token is refused (RFC 9700 §4.14.2)...
      await expectOAuthError(rp.refresh(first), "invalid_grant");
      // ...and revokes the whole family: the newest one is dead too.
      await expectOAuthError(rp.refresh(third), "invalid_grant");
    });

    if (kind === "confidential") {
      test("introspection reports the access token; once revoked it is inactive and refused", async ({
        page,
        user,
      }) => {
        const { tokens } = await obtainTokens(page, rp, callbacks, user);
        const sub = tokens.claims()!.sub;

        const active = await rp.introspect(tokens.access_token);
        expect(active.active).toBe(true);
        expect(active.client_id).toBe(rp.registered.clientId);
        expect(active.sub).toBe(sub);
        expect(scopeSet(active.scope)).toEqual(scopeSet(FLOW_SCOPE));
        // Still usable before revocation.
        expect((await rp.userinfo(tokens.access_token, sub)).sub).toBe(sub);

        await rp.revoke(tokens.access_token);
        expect(rp.responsesFrom("revocation_endpoint").at(-1)?.status).toBe(200);

        // RFC 7662 §2.2: an inactive token reveals nothing else.
        expect(await rp.introspect(tokens.access_token)).toEqual({ active: false });
        // RFC 6750 §3.1: 401 with WWW-Authenticate error="invalid_token".
        await expectInvalidTokenChallenge(rp.userinfo(tokens.access_token, sub));
      });
    } else {
      test("introspection is refused to a public client; a revoked access token is refused", async ({
        page,
        user,
      }) => {
        const { tokens } = await obtainTokens(page, rp, callbacks, user);
        const sub = tokens.claims()!.sub;

        // RFC 7662 §2.1/§4: the endpoint requires client authentication, which a public
        // client cannot give, even about its own token.
        await expectOAuthError(rp.introspect(tokens.access_token), "invalid_client", 401);
        expect((await rp.userinfo(tokens.access_token, sub)).sub).toBe(sub);

        // RFC 7009 §2.1: a public client may revoke its own tokens with its client_id.
        await rp.revoke(tokens.access_token);
        expect(rp.responsesFrom("revocation_endpoint").at(-1)?.status).toBe(200);

        await expectInvalidTokenChallenge(rp.userinfo(tokens.access_token, sub));
      });
    }

    test("a revoked refresh token can no longer be used", async ({ page, user }) => {
      const { tokens } = await obtainTokens(page, rp, callbacks, user);

      // No token_type_hint: the server has to find it by itself (RFC 7009 §2.1).
      await rp.revoke(tokens.refresh_token!);
      expect(rp.responsesFrom("revocation_endpoint").at(-1)?.status).toBe(200);

      await expectOAuthError(rp.refresh(tokens.refresh_token!), "invalid_grant");
    });
  });
}

// ---------------------------------------------------------------------------------------------
// The authorization endpoint and the consent screen.

test.describe("authorization endpoint", () => {
  let callbacks: CallbackServer;
  let rp: RelyingParty;

  test.beforeAll(async () => {
    callbacks = await CallbackServer.start();
    rp = await RelyingParty.discover(await registerClient("confidential", callbacks.redirectUri));
  });
  test.afterAll(async () => {
    await callbacks?.close();
  });

  test("Deny sends the user back with access_denied, the state and the issuer", async ({ page, user }) => {
    const request = await rp.authorizationRequest();
    const callback = await authorizeInBrowser(page, rp, callbacks, user, request, "Deny");

    expectErrorCallback(callback, request, "access_denied");
    await expectAuthorizationError(rp.exchange(callback, request), "access_denied");
  });

  test("a second authorization for the same scopes skips the consent screen", async ({ page, user }) => {
    const first = await rp.authorizationRequest();
    expectCodeCallback(await authorizeInBrowser(page, rp, callbacks, user, first), first);

    const navigations = recordNavigations(page);
    const second = await rp.authorizationRequest();
    const callback = await callbacks.capture(page, async () => {
      await page.goto(second.url.href);
      await expect(page, "straight back to the client, no consent screen").toHaveURL(
        (u) => u.origin === callbacks.origin,
      );
    });

    expectCodeCallback(callback, second);
    expect(
      navigations.filter((u) => u.origin === BASE_URL && ["/signin", "/consent"].includes(u.pathname)).map((u) => u.href),
      "neither sign-in nor consent on the way",
    ).toEqual([]);
    // A real code for this request.
    const tokens = await rp.exchange(callback, second);
    expect(tokens.claims()?.nonce).toBe(second.nonce);
  });

  test("acr_values: a password sign-in meets single-factor and the ID token says so; mfa asks for a step-up, or interaction_required with prompt=none", async ({
    page,
    user,
  }) => {
    // OIDC Core §3.1.2.1: met by the password sign-in; the ID token's acr and amr (§2) say how.
    const met = await rp.authorizationRequest({ acr_values: ACR.singleFactor });
    const callback = await authorizeInBrowser(page, rp, callbacks, user, met);
    expectCodeCallback(callback, met);
    const tokens = await rp.exchange(callback, met);
    expect(tokens.claims()).toMatchObject({ acr: ACR.singleFactor, amr: ["pwd"] });

    // Signed in with a password only: asked for mfa, the browser is sent to the step-up page,
    // which comes back to the authorization endpoint's continuation.
    const navigations = recordNavigations(page);
    const mfa = await rp.authorizationRequest({ acr_values: ACR.mfa });
    await page.goto(mfa.url.href);
    const stepUp = navigations.find((u) => u.origin === BASE_URL && u.pathname === "/signin/step-up");
    expect(stepUp, "a redirect to the step-up page").toBeDefined();
    expect(stepUp!.searchParams.get("acr")).toBe(ACR.mfa);
    expect(stepUp!.searchParams.get("callbackUrl")).toMatch(/^\/oauth\/authorize\/continue\?request=[A-Za-z0-9_-]+$/);

    // OIDC Core §3.1.2.6: with prompt=none there is no step-up: interaction_required.
    const silent = await rp.authorizationRequest({ acr_values: ACR.mfa, prompt: "none" });
    const refused = await callbacks.capture(page, async () => {
      await page.goto(silent.url.href);
      await expect(page, "straight back to the client").toHaveURL((u) => u.origin === callbacks.origin);
    });
    expectErrorCallback(refused, silent, "interaction_required");
    await expectAuthorizationError(rp.exchange(refused, silent), "interaction_required");
  });

  test("prompt=none without a session answers login_required at once", async ({ page }) => {
    const navigations = recordNavigations(page);
    const request = await rp.authorizationRequest({ prompt: "none" });
    const callback = await callbacks.capture(page, async () => {
      await page.goto(request.url.href);
      await expect(page, "straight back to the client, no sign-in page").toHaveURL((u) => u.origin === callbacks.origin);
    });

    expectErrorCallback(callback, request, "login_required");
    expect(
      navigations.filter((u) => u.origin === BASE_URL && ["/signin", "/consent"].includes(u.pathname)).map((u) => u.href),
      "no sign-in page for prompt=none",
    ).toEqual([]);
    await expectAuthorizationError(rp.exchange(callback, request), "login_required");
  });

  test("the consent page cannot be framed", async ({ page, user }) => {
    const request = await rp.authorizationRequest();
    const consentResponse = page.waitForResponse((response) => {
      const url = new URL(response.url());
      return url.origin === BASE_URL && url.pathname === "/consent" && response.request().isNavigationRequest();
    });
    await page.goto(request.url.href);
    await signInForAuthorization(page, user);
    const response = await consentResponse;
    await new ConsentPage(page).expectFor(rp.registered);

    expect(response.status()).toBe(200);
    const headers = await response.allHeaders();
    expect(headers["x-frame-options"]).toBe("DENY");
    expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
  });

  /**
   * Opens `url` signed out, then again signed in, and asserts each time that the
   * authorization endpoint answered with its own 400 error page: no redirect anywhere, no
   * request to the client's redirect_uri or any other origin, no sign-in or consent form.
   */
  async function expectErrorPageWithoutRedirect(page: Page, url: URL, user: { email: string; password: string }) {
    const offsite: string[] = [];
    page.on("request", (r) => {
      if (new URL(r.url()).origin !== BASE_URL && !r.url().startsWith("data:")) offsite.push(r.url());
    });
    const hitsBefore = callbacks.hits.length;
    const endpoint = rp.server.authorization_endpoint;

    for (const state of ["signed out", "signed in"] as const) {
      if (state === "signed in") {
        const signIn = new SignInPage(page);
        await signIn.goto();
        await signIn.signIn(user.email, user.password);
        await expect(page).toHaveURL((u) => u.origin === BASE_URL && u.pathname === "/account");
      }
      const response = await page.goto(url.href);
      if (!response) throw new Error("no response for the authorization request");
      expect(response.status(), `status (${state})`).toBe(400);
      expect(response.request().redirectedFrom(), `answered without a redirect (${state})`).toBeNull();
      expect(response.headers()["content-type"] ?? "").toMatch(/^text\/html\b/);
      await expect(page).toHaveURL((u) => `${u.origin}${u.pathname}` === endpoint);
      await expect(page.locator("body")).toContainText(/\S/);
      await expect(new ConsentPage(page).allow).toHaveCount(0);
      await expect(new SignInPage(page).submit).toHaveCount(0);
      // Still there once everything has loaded: no client-side redirect either.
      await page.waitForLoadState("load");
      await expect(page).toHaveURL(url.href);
    }
    expect(offsite, "requests to other origins").toEqual([]);
    expect(callbacks.hits.slice(hitsBefore).map((u) => u.href), "requests to the client").toEqual([]);
  }

  test("an unknown client_id gets an error page, never a redirect", async ({ page, user }) => {
    const request = await rp.authorizationRequest();
    const url = new URL(request.url);
    url.searchParams.set("client_id", `unknown-${client.randomState()}`);

    await expectErrorPageWithoutRedirect(page, url, user);
  });

  for (const [label, redirectUri] of [
    ["on another site", "https://evil.example/callback"],
    ["on another path of the registered host", () => `${callbacks.origin}/callback/elsewhere`],
  ] as const) {
    test(`a redirect_uri that is not registered (${label}) gets an error page, never a redirect`, async ({
      page,
      user,
    }) => {
      const target = typeof redirectUri === "string" ? redirectUri : redirectUri();
      const request = await rp.authorizationRequest({ redirect_uri: target });
      expect(request.url.searchParams.get("redirect_uri")).toBe(target);

      await expectErrorPageWithoutRedirect(page, request.url, user);
    });
  }
});
