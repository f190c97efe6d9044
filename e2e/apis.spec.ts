// Protecting an API (issue 17): an API registered with the CLI, a real browser authorizing a
// client for it with `resource` (RFC 8707), the consent screen naming the API and its scope in
// plain words, a token whose audience is the API (verified as a resource server would, with
// jose against the published keys), and the API's own credentials at the introspection endpoint
// before and after the client revokes the token.
import { randomBytes } from "node:crypto";
import { createRemoteJWKSet, jwtVerify } from "jose";
import { cli, expect, test } from "./support";
import { CallbackServer, ConsentPage, ISSUER, RelyingParty, expectCodeCallback, registerClient, signInForAuthorization } from "./support/oauth";

interface CreatedApi {
  identifier: string;
  client_id: string;
  client_secret: string;
}

test.describe("a protected API", () => {
  let callbacks: CallbackServer;
  let rp: RelyingParty;
  let api: CreatedApi;

  test.beforeAll(async () => {
    callbacks = await CallbackServer.start();
    rp = await RelyingParty.discover(await registerClient("confidential", callbacks.redirectUri));
    const identifier = `https://api-${randomBytes(4).toString("hex")}.example.com`;
    api = (await cli(["api", "create", "--name", "Items API", "--identifier", identifier, "--scope", "read:items=Read your items"])) as CreatedApi;
  });
  test.afterAll(async () => {
    await callbacks?.close();
  });

  const introspectAsApi = async (token: string) => {
    const res = await fetch(rp.server.introspection_endpoint!, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        authorization: `Basic ${Buffer.from(`${api.client_id}:${api.client_secret}`).toString("base64")}`,
      },
      body: new URLSearchParams({ token }),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as Record<string, unknown>;
  };

  test("consent names the API; the token is for it; the API introspects it until it is revoked", async ({ page, user }) => {
    const request = await rp.authorizationRequest({ resource: api.identifier, scope: "openid read:items" });
    const callback = await callbacks.capture(page, async () => {
      await page.goto(request.url.href);
      await signInForAuthorization(page, user);
      const consent = new ConsentPage(page);
      await expect(page.getByRole("heading", { name: "Items API", level: 3 })).toBeVisible();
      await expect(page.locator("body")).toContainText("Read your items");
      await consent.allow.click();
    });
    expectCodeCallback(callback, request);
    const tokens = await rp.exchange(callback, request);
    expect(tokens.scope).toBe("openid read:items");

    // As the API verifies it: signature, issuer, audience, typ (RFC 9068 §4).
    const { payload } = await jwtVerify(tokens.access_token, createRemoteJWKSet(new URL(rp.server.jwks_uri!)), {
      issuer: ISSUER,
      audience: api.identifier,
      typ: "at+jwt",
    });
    expect(payload).toMatchObject({ aud: [api.identifier, ISSUER], scope: "openid read:items", client_id: rp.registered.clientId });

    expect(await introspectAsApi(tokens.access_token)).toMatchObject({ active: true, aud: [api.identifier, ISSUER], client_id: rp.registered.clientId });
    await rp.revoke(tokens.access_token);
    expect(await introspectAsApi(tokens.access_token)).toEqual({ active: false });
  });
});
