// The order of the checks: target first (error pages), then the rest (redirected errors), and
// the first failure wins.
import { describe, expect, it } from "vitest";
import { checkAuthorizationRequest, checkTarget } from ".";
import { CHALLENGE, oauthErrorOf, pageErrorOf, raw, testClient } from "@test/oauth-fixtures";

const valid = {
  client_id: "web-app",
  redirect_uri: "https://app.example.com/callback",
  response_type: "code",
  scope: "openid email",
  state: "st",
  nonce: "no",
  code_challenge: CHALLENGE,
  code_challenge_method: "S256",
};

describe("checkTarget", () => {
  it("an unknown client fails before the redirect URI is looked at", () => {
    expect(pageErrorOf(() => checkTarget(raw({ ...valid, redirect_uri: "https://evil.example/" }), null)).title).toBe("Unknown application");
  });

  it("returns the client and the redirect target", () => {
    const client = testClient();
    expect(checkTarget(raw(valid), client)).toEqual({ client, redirectUri: valid.redirect_uri, redirectUriGiven: true });
  });
});

describe("checkAuthorizationRequest", () => {
  const client = testClient();
  const target = { redirectUri: valid.redirect_uri, redirectUriGiven: true };
  const run = (q: Record<string, string> | string) => () => checkAuthorizationRequest(raw(q), client, target);

  it("builds the validated parameters", () => {
    const acr_values = "urn:example:unknown phr";
    expect(checkAuthorizationRequest(raw({ ...valid, prompt: "consent", max_age: "60", login_hint: "a@b.c", acr_values }), client, target)).toEqual({
      clientId: "web-app",
      redirectUri: valid.redirect_uri,
      redirectUriGiven: true,
      responseType: "code",
      responseMode: "query",
      scope: ["openid", "email"],
      resources: [],
      state: "st",
      nonce: "no",
      codeChallenge: CHALLENGE,
      codeChallengeMethod: "S256",
      prompt: ["consent"],
      maxAge: 60,
      loginHint: "a@b.c",
      acrValues: ["phr"],
    });
  });

  it("(3) repeats before (4) response_type", () => {
    expect(oauthErrorOf(run(`response_type=token&scope=openid&scope=openid`)).description).toBe("Parameter scope is repeated");
  });

  it("(4) response_type before (5) scope", () => {
    expect(oauthErrorOf(run({ ...valid, response_type: "token", scope: "nope" })).error).toBe("unsupported_response_type");
  });

  it("(4) unauthorized_client before (5) scope", () => {
    const cc = testClient({ grantTypes: ["client_credentials"] });
    expect(oauthErrorOf(() => checkAuthorizationRequest(raw({ ...valid, scope: "nope" }), cc, target)).error).toBe("unauthorized_client");
  });

  it("(5) scope before (6) PKCE", () => {
    expect(oauthErrorOf(run({ ...valid, scope: "nope", code_challenge_method: "plain" })).error).toBe("invalid_scope");
  });

  it("(6) PKCE before (7) prompt", () => {
    expect(oauthErrorOf(run({ ...valid, code_challenge_method: "plain", prompt: "select_account" })).description).toBe(
      "code_challenge_method must be S256 (plain is not allowed)",
    );
  });

  describe("response_type=id_token (OIDC Core §3.2.2.1)", () => {
    const implicit = testClient({ grantTypes: ["implicit"], requirePkce: true, tokenEndpointAuthMethod: "none" });
    const idToken = { client_id: "web-app", redirect_uri: valid.redirect_uri, response_type: "id_token", scope: "openid email offline_access", nonce: "n-1" };
    const runImplicit = (q: Record<string, string>) => () => checkAuthorizationRequest(raw(q), implicit, target);

    it("builds the parameters: fragment by default, no PKCE even for a public client, offline_access dropped", () => {
      expect(runImplicit(idToken)()).toMatchObject({
        responseType: "id_token",
        responseMode: "fragment",
        scope: ["openid", "email"],
        nonce: "n-1",
        codeChallenge: null,
        codeChallengeMethod: null,
      });
      expect(runImplicit({ ...idToken, response_mode: "form_post" })().responseMode).toBe("form_post");
    });

    it("without nonce -> invalid_request; without openid -> invalid_scope", () => {
      const { nonce: _n, ...noNonce } = idToken;
      expect(oauthErrorOf(runImplicit(noNonce)).description).toBe("nonce is required for response_type=id_token");
      expect(oauthErrorOf(runImplicit({ ...idToken, scope: "email" })).error).toBe("invalid_scope");
    });

    it("(4c) response_mode=query before the rest", () => {
      expect(oauthErrorOf(runImplicit({ ...idToken, response_mode: "query", scope: "nope" })).description).toBe(
        "response_mode=query is not allowed for response_type=id_token",
      );
    });

    it("a client without the implicit grant -> unauthorized_client", () => {
      expect(oauthErrorOf(run(idToken)).error).toBe("unauthorized_client");
    });
  });
});
