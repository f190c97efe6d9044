// Dynamic client registration end to end: an admin creates an initial access token in the
// portal (shown once), software registers a client with it over HTTP (RFC 7591), reads,
// updates and deletes it with its registration access token (RFC 7592), and the token can be
// revoked from the portal. Anyone but an admin gets a 404 on the tokens page.
import type { APIRequestContext, Page } from "@playwright/test";
import * as oidc from "openid-client";
import { BASE_URL } from "./env";
import { SignInPage, createUser, expect, test } from "./support";
import { createRegistrationToken, REGISTRATION_TOKENS_PAGE, signInTo } from "./support/registration-tokens";

const PAGE = REGISTRATION_TOKENS_PAGE;

const tokenRow = (page: Page, label: string) => page.getByRole("listitem").filter({ hasText: label });

async function registerWith(request: APIRequestContext, token: string, data: object) {
  return request.post(`${BASE_URL}/oauth/register`, { headers: { authorization: `Bearer ${token}` }, data });
}

test.describe("registration tokens and RFC 7591/7592", () => {
  test("an admin creates a token (shown once); a client registers, is read, updated and deleted with it", async ({ page, request }, testInfo) => {
    const admin = await createUser({ prefix: "dcr-admin", role: "admin" });
    await signInTo(page, admin, PAGE);
    await expect(page.getByRole("heading", { level: 1, name: "Registration tokens" })).toBeVisible();

    const label = `Partner ${Date.now().toString(36)}`;
    const token = await createRegistrationToken(page, label, "7 days");
    await expect(tokenRow(page, label)).toContainText("Active");
    await expect(tokenRow(page, label)).toContainText(token.slice(0, 12));
    await page.screenshot({ path: testInfo.outputPath("tokens-desktop.png"), fullPage: true });

    // Shown once: after a reload only the prefix is left.
    await page.reload();
    await expect(page.getByLabel("Initial access token", { exact: true })).toHaveCount(0);
    expect(await page.content()).not.toContain(token);
    await expect(tokenRow(page, label)).toContainText("Uses0");

    // Discovery advertises the endpoint (RFC 8414 §2).
    const discovery = await (await request.get(`${BASE_URL}/.well-known/openid-configuration`)).json();
    expect(discovery.registration_endpoint).toBe(`${BASE_URL}/oauth/register`);

    // RFC 7591 §3: register with the token.
    const reg = await registerWith(request, token, { client_name: "E2E Service", grant_types: ["client_credentials"], scope: "openid" });
    expect(reg.status()).toBe(201);
    expect(reg.headers()["cache-control"]).toBe("no-store");
    const client = await reg.json();
    expect(client).toMatchObject({
      client_id: expect.stringMatching(/^lk_/),
      client_secret: expect.stringMatching(/^lks_/),
      client_secret_expires_at: 0,
      registration_access_token: expect.stringMatching(/^lkrat_/),
      client_name: "E2E Service",
      grant_types: ["client_credentials"],
    });
    expect(client.registration_client_uri).toBe(`${BASE_URL}/oauth/register/${client.client_id}`);

    // The registered client gets a token with its secret.
    const issued = await request.post(`${BASE_URL}/oauth/token`, {
      headers: { authorization: `Basic ${Buffer.from(`${client.client_id}:${client.client_secret}`).toString("base64")}` },
      form: { grant_type: "client_credentials" },
    });
    expect(issued.status()).toBe(200);
    expect((await issued.json()).token_type).toBe("Bearer");

    // RFC 7592 §2.1: read.
    const auth = (t: string) => ({ authorization: `Bearer ${t}` });
    const read = await request.get(client.registration_client_uri, { headers: auth(client.registration_access_token) });
    expect(read.status()).toBe(200);
    expect(read.headers()["cache-control"]).toBe("no-store");
    const current = await read.json();
    expect(current.client_id).toBe(client.client_id);
    expect(current.client_secret).toBeUndefined();

    // §2.2: update (full replacement); the registration access token rotates.
    const put = await request.put(client.registration_client_uri, {
      headers: auth(client.registration_access_token),
      data: { client_id: client.client_id, client_name: "E2E Service v2", grant_types: ["client_credentials"], scope: "openid" },
    });
    expect(put.status()).toBe(200);
    const updated = await put.json();
    expect(updated.client_name).toBe("E2E Service v2");
    expect(updated.registration_access_token).not.toBe(client.registration_access_token);
    const stale = await request.get(client.registration_client_uri, { headers: auth(client.registration_access_token) });
    expect(stale.status()).toBe(401);
    expect(stale.headers()["www-authenticate"]).toContain('error="invalid_token"');

    // §2.3: delete; the client is gone.
    const del = await request.delete(client.registration_client_uri, { headers: auth(updated.registration_access_token) });
    expect(del.status()).toBe(204);
    const gone = await request.get(client.registration_client_uri, { headers: auth(updated.registration_access_token) });
    expect(gone.status()).toBe(401);
    const noToken = await request.post(`${BASE_URL}/oauth/token`, {
      headers: { authorization: `Basic ${Buffer.from(`${client.client_id}:${client.client_secret}`).toString("base64")}` },
      form: { grant_type: "client_credentials" },
    });
    expect(noToken.status()).toBe(401);

    // A certified relying-party library registers through discovery with the same token, and the
    // client it got works at the token endpoint.
    const config = await oidc.dynamicClientRegistration(
      new URL(BASE_URL),
      { client_name: "openid-client", grant_types: ["client_credentials"], token_endpoint_auth_method: "client_secret_post" },
      undefined,
      { initialAccessToken: token, execute: [oidc.allowInsecureRequests] },
    );
    expect(config.clientMetadata().client_id).toMatch(/^lk_/);
    const tokens = await oidc.clientCredentialsGrant(config);
    expect(tokens.token_type).toBe("bearer");
    expect(typeof tokens.access_token).toBe("string");

    // The list counts both uses.
    await page.reload();
    await expect(tokenRow(page, label)).toContainText("Uses2");
  });

  test("a revoked token no longer registers; registration without a token is 401", async ({ page, request }) => {
    const admin = await createUser({ prefix: "dcr-revoke", role: "admin" });
    await signInTo(page, admin, PAGE);
    // A label is required; the error is inline, on the field.
    await page.getByRole("button", { name: "Create token", exact: true }).click();
    await expect(page.getByLabel("Label", { exact: true })).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByText("Enter a label", { exact: true })).toBeVisible();
    await expect(page.getByLabel("Initial access token", { exact: true })).toHaveCount(0);

    const label = `Revoke me ${Date.now().toString(36)}`;
    const token = await createRegistrationToken(page, label, "1 hour");

    const row = tokenRow(page, label);
    await row.getByRole("button", { name: `Revoke ${label}`, exact: true }).click();
    await row.getByRole("button", { name: `Revoke ${label} now`, exact: true }).click();
    await expect(row).toContainText("Revoked");
    await expect(row.getByRole("button")).toHaveCount(0);

    const refused = await registerWith(request, token, { client_name: "Nope", grant_types: ["client_credentials"] });
    expect(refused.status()).toBe(401);
    expect(refused.headers()["www-authenticate"]).toContain('error="invalid_token"');
    expect((await refused.json()).error).toBe("invalid_token");

    const anonymous = await request.post(`${BASE_URL}/oauth/register`, { data: { client_name: "Nope", grant_types: ["client_credentials"] } });
    expect(anonymous.status()).toBe(401);
  });

  for (const role of ["user", "developer"] as const) {
    test(`a ${role} gets a 404 on the tokens page`, async ({ page }) => {
      const someone = await createUser({ prefix: `dcr-${role}`, role });
      const signIn = new SignInPage(page);
      await signIn.goto();
      await signIn.signIn(someone.email, someone.password);
      await expect(page).toHaveURL((url) => url.pathname === "/account");
      const res = await page.goto(PAGE);
      expect(res?.status()).toBe(404);
      await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
      await expect(page.getByRole("button", { name: "Create token" })).toHaveCount(0);
    });
  }

  test("phone layout", async ({ browser }, testInfo) => {
    const admin = await createUser({ prefix: "dcr-phone", role: "admin" });
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, baseURL: BASE_URL });
    const page = await context.newPage();
    await signInTo(page, admin, PAGE);
    await createRegistrationToken(page, `Phone ${Date.now().toString(36)}`, "30 days");
    await page.screenshot({ path: testInfo.outputPath("tokens-phone.png"), fullPage: true });
    // Nothing wider than the screen.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBe(0);
    await context.close();
  });
});
