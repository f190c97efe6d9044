// response_mode=form_post (OAuth 2.0 Form Post Response Mode) and the login-only
// response_type=id_token, driven by openid-client (the certified relying-party library) and a
// real browser: the answer reaches the client as a POST, never in a URL, and the relying party's
// own redirect after it is not blocked by the page's form-action.
import * as client from "openid-client";
import { BASE_URL } from "./env";
import { expect, test } from "./support";
import { cli } from "./support/cli";
import { FormPostCallback } from "./support/form-post";
import { ConsentPage, FLOW_SCOPES, RelyingParty, registerClient, signInForAuthorization } from "./support/oauth";

test.describe("form_post", () => {
  let callback: FormPostCallback;
  test.beforeAll(async () => {
    callback = await FormPostCallback.start();
  });
  test.afterAll(async () => {
    await callback?.close();
  });

  test("code flow: consent, then the hot path; openid-client redeems both posted codes", async ({ page, user }) => {
    const rp = await RelyingParty.discover(await registerClient("confidential", callback.redirectUri));
    expect(rp.server.response_modes_supported).toEqual(["query", "fragment", "form_post"]);
    const urls: string[] = [];
    page.on("request", (r) => urls.push(r.url()));

    // 1. Through sign-in and the consent screen (the consent action answers with the form).
    const first = await rp.authorizationRequest({ response_mode: "form_post" });
    await page.goto(first.url.href);
    await signInForAuthorization(page, user);
    const consent = new ConsentPage(page);
    await consent.expectFor(rp.registered, FLOW_SCOPES);
    await consent.allow.click();
    const fields = await callback.received(1);
    expect([...fields.keys()]).toEqual(["code", "state", "iss"]);
    await expect(page).toHaveURL(`${callback.origin}/signed-in`);
    const tokens = await client.authorizationCodeGrant(rp.config, callback.request(1), {
      pkceCodeVerifier: first.codeVerifier,
      expectedState: first.state,
      expectedNonce: first.nonce,
      idTokenExpected: true,
    });
    // The ID token carries the granted profile and email claims (OIDC Core §5.4).
    expect(tokens.claims()).toMatchObject({ email: user.email, email_verified: expect.any(Boolean), name: expect.any(String) });

    // 2. Consent remembered: the authorization endpoint itself answers with the auto-posting page.
    const second = await rp.authorizationRequest({ response_mode: "form_post" });
    await page.goto(second.url.href);
    await callback.received(2);
    await expect(page).toHaveURL(`${callback.origin}/signed-in`);
    await client.authorizationCodeGrant(rp.config, callback.request(2), {
      pkceCodeVerifier: second.codeVerifier,
      expectedState: second.state,
      expectedNonce: second.nonce,
      idTokenExpected: true,
    });

    // The codes travelled in POST bodies only.
    for (const n of [1, 2]) {
      const code = new URLSearchParams(callback.posts[n - 1]!.body).get("code")!;
      expect(urls.filter((u) => u.includes(code))).toEqual([]);
    }
    expect(callback.gets).toEqual([`${callback.origin}/signed-in`, `${callback.origin}/signed-in`]);
  });

  test("response_type=id_token: openid-client's implicit authentication validates the posted ID token", async ({ page, user }) => {
    const created = (await cli([
      "client", "create", "--name", "E2E id_token app", "--redirect-uri", callback.redirectUri, "--public",
      "--grant-types", "implicit", "--scope", "openid profile email", "--id-token-alg", "RS256",
    ])) as { client_id: string };
    const config = await client.discovery(new URL(BASE_URL), created.client_id, undefined, client.None(), {
      execute: [client.allowInsecureRequests],
    });
    client.useIdTokenResponseType(config);
    const nonce = client.randomNonce();
    const state = client.randomState();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: callback.redirectUri,
      scope: "openid profile email",
      nonce,
      state,
      response_mode: "form_post",
    });
    expect(url.searchParams.get("response_type")).toBe("id_token");
    const before = callback.posts.length;
    await page.goto(url.href);
    await signInForAuthorization(page, user);
    await new ConsentPage(page).allow.click();
    const fields = await callback.received(before + 1);
    expect([...fields.keys()]).toEqual(["id_token", "state", "iss"]);
    const claims = await client.implicitAuthentication(config, callback.request(before + 1), nonce, { expectedState: state });
    expect(claims).toMatchObject({ aud: created.client_id, nonce, email: user.email });
    expect(claims).not.toHaveProperty("at_hash");
  });
});
