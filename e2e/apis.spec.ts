// APIs in the dashboard and the admin console (issue 17 §1, §3): create one with scopes (a bad
// scope line refused, what was typed kept), read its RFC 9728 metadata and the verification
// code, rotate its secret after confirming, delete it after confirming; another developer gets
// 404s and replayed actions change nothing; an admin sees every API and deletes from the console.
import { createRemoteJWKSet, jwtVerify } from "jose";
import { ADMIN, BASE_URL } from "./env";
import { createUser, expect, test } from "./support";
import { ApiFormPage, codeBlock, introspect, pointApiFormsAt } from "./support/apis";
import { ClientFormPage, introspectionStatus, signedInPage } from "./support/dashboard";

const uniq = () => Date.now().toString(36) + Math.random().toString(36).slice(2, 6);

test.describe("APIs in the dashboard", () => {
  test("create with scopes, metadata and snippets, rotate the secret, delete with confirmation; an admin sees it", async ({ browser }) => {
    // Several argon2id sign-ins on a shared machine.
    test.setTimeout(90_000);
    const dev = await createUser({ prefix: "api-dev", role: "developer" });
    const page = await signedInPage(browser, dev);

    // Empty state: what an API is, and the way to create one; the dashboard's tabs lead here.
    await page.goto("/dashboard/clients");
    await page.getByRole("navigation", { name: "Dashboard" }).getByRole("link", { name: "APIs" }).click();
    await expect(page).toHaveURL(`${BASE_URL}/dashboard/apis`);
    await expect(page.getByRole("heading", { name: "No APIs yet" })).toBeVisible();
    await expect(page.getByText(/An API is a server of yours that apps call with Latchkey access tokens/)).toBeVisible();
    await page.getByRole("link", { name: "Create an API" }).click();
    await expect(page).toHaveURL(`${BASE_URL}/dashboard/apis/new`);

    // A bad scope line is refused on its line; everything typed comes back.
    const form = new ApiFormPage(page);
    const name = `Items API ${uniq()}`;
    const identifier = `https://items-${uniq()}.example.com/v1`;
    await form.name.fill(name);
    await form.identifier.fill(identifier);
    await form.scopes.fill("read items=Read your items\nwrite:items=Change your items");
    await form.ttl.fill("300");
    await form.submit.click();
    await expect(form.scopeErrors()).toHaveText(["read items=Read your items: A scope name has no spaces, quotes or backslashes (RFC 6749 §3.3)"]);
    const summary = page.getByTestId("error-summary");
    await expect(summary.getByRole("link", { name: /^Scopes: / })).toHaveAttribute("href", "#field-scopes");
    await expect(summary).toBeFocused();
    await expect(form.name).toHaveValue(name);
    await expect(form.identifier).toHaveValue(identifier);
    await expect(form.scopes).toHaveValue("read items=Read your items\nwrite:items=Change your items");
    await expect(form.ttl).toHaveValue("300");

    // Created: the API's own credentials, the secret shown once; it authenticates at introspection.
    await form.scopes.fill("read:items=Read your items\nwrite:items=Change your items");
    await form.submit.click();
    const secretInput = page.getByLabel("API client secret", { exact: true });
    await expect(secretInput).toBeVisible();
    const secret = await secretInput.inputValue();
    const clientId = (await page.getByTestId("created-client-id").innerText()).trim();
    expect(clientId).toMatch(/^lk_/);
    expect(secret).toMatch(/^lks_[A-Za-z0-9_-]{43}$/);
    expect(await introspectionStatus(clientId, secret)).toBe(200);
    await page.getByRole("link", { name: "Go to the API page" }).click();
    await expect(page).toHaveURL(/\/dashboard\/apis\/[0-9a-f-]{36}$/);
    const rowId = new URL(page.url()).pathname.split("/").pop()!;

    // The API page: identifier, scopes in plain words, lifetime, credentials (prefix only).
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);
    await expect(page.getByTestId("api-identifier")).toHaveText(identifier);
    await expect(page.getByRole("list", { name: "Scopes" }).getByRole("listitem")).toHaveText(["read:itemsRead your items", "write:itemsChange your items"]);
    await expect(page.getByText("300 seconds", { exact: true })).toBeVisible();
    await expect(page.getByText("Every client registered here may ask for it.")).toBeVisible();
    await expect(page.getByTestId("api-client-id")).toHaveText(clientId);
    await expect(page.getByTestId("secret-prefix")).toHaveText(`${secret.slice(0, 10)}…`);
    expect(await page.content()).not.toContain(secret);

    // RFC 9728: the metadata URL has the well-known segment between host and path (§3.1), the
    // exact document (§2), and the challenge (§5.1).
    const metadataUrl = identifier.replace("/v1", "/.well-known/oauth-protected-resource/v1");
    await expect(page.getByTestId("metadata-url")).toHaveText(metadataUrl);
    expect(JSON.parse(await codeBlock(page, "oauth-protected-resource (JSON)"))).toStrictEqual({
      resource: identifier,
      authorization_servers: [BASE_URL],
      scopes_supported: ["read:items", "write:items"],
      bearer_methods_supported: ["header"],
    });
    expect((await codeBlock(page, "WWW-Authenticate header")).trim()).toBe(`WWW-Authenticate: Bearer resource_metadata="${metadataUrl}"`);
    for (const title of ["Next.js route handler (TypeScript)", "Express middleware (JavaScript)"]) {
      const code = await codeBlock(page, title);
      expect(code).toContain(`const ISSUER = "${BASE_URL}";`);
      expect(code).toContain(`const AUDIENCE = "${identifier}";`);
      expect(code).toContain(`createRemoteJWKSet(new URL("${BASE_URL}/.well-known/jwks.json"))`);
      expect(code).toContain(`typ: "at+jwt"`);
      expect(code).toContain(`"read:items"`);
    }

    // At phone width: nothing wider than the screen but the code blocks, which scroll.
    const phone = await signedInPage(browser, dev, { width: 390, height: 844 });
    await phone.goto(`/dashboard/apis/${rowId}`);
    await expect(phone.getByRole("heading", { level: 1 })).toHaveText(name);
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await phone.screenshot({ path: test.info().outputPath("api-page-phone.png"), fullPage: true });
    await phone.context().close();

    // Rotate: asked first (nothing changes until the yes); then the old secret stops at once.
    await page.getByRole("button", { name: "Rotate secret" }).click();
    await expect(page.getByTestId("confirm-step")).toContainText("The current one stops working now");
    await expect(page.getByTestId("confirm-step")).toBeFocused();
    expect(await introspectionStatus(clientId, secret)).toBe(200);
    await page.getByRole("button", { name: "Yes, rotate now" }).click();
    const rotatedInput = page.getByLabel("New API client secret", { exact: true });
    await expect(rotatedInput).toBeVisible();
    const rotated = await rotatedInput.inputValue();
    expect(rotated).not.toBe(secret);
    expect(await introspectionStatus(clientId, rotated)).toBe(200);
    expect(await introspectionStatus(clientId, secret)).toBe(401);
    await expect(page.getByTestId("secret-prefix")).toHaveText(`${rotated.slice(0, 10)}…`);

    // Edit: the identifier is fixed; the scopes change.
    await page.getByRole("link", { name: "Edit", exact: true }).click();
    await expect(page).toHaveURL(`${BASE_URL}/dashboard/apis/${rowId}/edit`);
    await expect(form.identifier).toHaveCount(0);
    await expect(form.scopes).toHaveValue("read:items=Read your items\nwrite:items=Change your items");
    await form.scopes.fill("read:items=Read your items");
    await form.ttl.fill("");
    await form.submit.click();
    await expect(page).toHaveURL(`${BASE_URL}/dashboard/apis/${rowId}`);
    await expect(page.getByRole("list", { name: "Scopes" }).getByRole("listitem")).toHaveText(["read:itemsRead your items"]);
    await expect(page.getByText(/seconds \(the server's default\)/)).toBeVisible();

    // An admin sees it, with its owner, in the dashboard and in the console.
    const admin = await signedInPage(browser, ADMIN);
    await admin.goto("/dashboard/apis");
    await expect(admin.getByRole("heading", { name: "All APIs" })).toBeVisible();
    const item = admin.getByRole("listitem").filter({ has: admin.getByRole("link", { name, exact: true }) });
    await expect(item).toContainText(dev.email);
    await admin.goto(`/admin/apis?q=${encodeURIComponent(name)}`);
    const row = admin.getByRole("list", { name: "APIs" }).getByRole("listitem");
    await expect(row).toHaveCount(1);
    await expect(row).toContainText(name);
    await expect(row).toContainText(identifier);
    await expect(row).toContainText("1 scope");
    await expect(row).toContainText(dev.email);
    await admin.context().close();

    // Delete: asked first; then gone, with its credentials.
    await page.getByRole("button", { name: "Delete API" }).click();
    await expect(page.getByTestId("confirm-step")).toContainText(`Delete ${name}?`);
    await page.getByRole("button", { name: "Cancel" }).click();
    await expect(page.getByRole("button", { name: "Delete API" })).toBeFocused();
    expect(await introspectionStatus(clientId, rotated)).toBe(200);
    await page.getByRole("button", { name: "Delete API" }).click();
    await page.getByRole("button", { name: "Yes, delete API" }).click();
    await expect(page).toHaveURL(`${BASE_URL}/dashboard/apis?deleted=1`);
    await expect(page.getByText("API deleted.")).toBeVisible();
    await expect(page.getByRole("heading", { name: "No APIs yet" })).toBeVisible();
    expect(await introspectionStatus(clientId, rotated)).toBe(401);
    expect((await page.goto(`/dashboard/apis/${rowId}`))?.status()).toBe(404);
    await page.context().close();
  });

  test("another developer gets 404 by URL, and replayed actions change nothing; an admin deletes from the console", async ({ browser }) => {
    test.setTimeout(90_000);
    const owner = await createUser({ prefix: "api-owner", role: "developer" });
    const other = await createUser({ prefix: "api-other", role: "developer" });
    const ownerPage = await signedInPage(browser, owner);
    const ownerName = `Owned API ${uniq()}`;
    const victim = await new ApiFormPage(ownerPage).create(ownerName, `https://owned-${uniq()}.example.com`, "read=Read things");

    const page = await signedInPage(browser, other);
    for (const suffix of ["", "/edit"]) {
      const res = await page.goto(`/dashboard/apis/${victim.rowId}${suffix}`);
      expect(res?.status(), `GET /dashboard/apis/<other's>${suffix}`).toBe(404);
      expect(await page.content()).not.toContain(ownerName);
    }
    await page.goto("/dashboard/apis");
    await expect(page.getByText(ownerName)).toHaveCount(0);

    // Replays: the other developer's own API's forms, pointed at the owner's API.
    const mine = await new ApiFormPage(page).create(`Mine ${uniq()}`, `https://mine-${uniq()}.example.com`, "read=Read");
    await page.goto(`/dashboard/apis/${mine.rowId}/edit`);
    await new ApiFormPage(page).name.fill("Hijacked");
    await pointApiFormsAt(page, victim.rowId);
    await new ApiFormPage(page).submit.click();
    await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();

    await page.goto(`/dashboard/apis/${mine.rowId}`);
    await page.getByRole("button", { name: "Rotate secret" }).click();
    await expect(page.getByTestId("confirm-step")).toBeVisible();
    await pointApiFormsAt(page, victim.rowId);
    await page.getByRole("button", { name: "Yes, rotate now" }).click();
    await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();

    await page.goto(`/dashboard/apis/${mine.rowId}`);
    await page.getByRole("button", { name: "Delete API" }).click();
    await expect(page.getByTestId("confirm-step")).toBeVisible();
    await pointApiFormsAt(page, victim.rowId);
    await page.getByRole("button", { name: "Yes, delete API" }).click();
    await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();

    // Nothing changed.
    await ownerPage.goto(`/dashboard/apis/${victim.rowId}`);
    await expect(ownerPage.getByRole("heading", { level: 1 })).toHaveText(ownerName);
    expect(await introspectionStatus(victim.clientId, victim.secret)).toBe(200);
    await page.context().close();

    // An admin deletes it from the console, after confirming.
    const admin = await signedInPage(browser, ADMIN);
    await admin.goto(`/admin/apis?q=${encodeURIComponent(ownerName)}`);
    await admin.getByRole("button", { name: `Delete ${ownerName}` }).click();
    await expect(admin.getByTestId("confirm-step")).toContainText(`Delete ${ownerName}?`);
    expect(await introspectionStatus(victim.clientId, victim.secret)).toBe(200);
    await admin.getByRole("button", { name: "Yes, delete" }).click();
    await expect(admin).toHaveURL(`${BASE_URL}/admin/apis?deleted=1`);
    await expect(admin.getByText("API deleted: apps can no longer get tokens for it.")).toBeVisible();
    expect(await introspectionStatus(victim.clientId, victim.secret)).toBe(401);
    await admin.context().close();
    expect((await ownerPage.goto(`/dashboard/apis/${victim.rowId}`))?.status()).toBe(404);
    await ownerPage.context().close();
  });

  test("a test token: for one of the developer's clients and the chosen scopes, shown once; it verifies as the snippets do and introspects as active", async ({ browser }) => {
    test.setTimeout(90_000);
    const dev = await createUser({ prefix: "api-token", role: "developer" });
    const page = await signedInPage(browser, dev);
    const identifier = `https://token-${uniq()}.example.com`;
    const api = await new ApiFormPage(page).create(`Token API ${uniq()}`, identifier, "read:items=Read your items\nwrite:items=Change your items");
    // No client yet: the card says how to get one.
    await expect(page.getByText("None of your clients may ask for this API yet.")).toBeVisible();

    const clientName = `Token app ${uniq()}`;
    const app = await new ClientFormPage(page).register(clientName, ["https://app.example.com/cb"]);
    await page.goto(`/dashboard/apis/${api.rowId}`);
    await expect(page.getByRole("radio", { name: new RegExp(`^${clientName}`) })).toBeChecked();
    await page.getByRole("checkbox", { name: "write:items" }).uncheck();
    await page.getByRole("button", { name: "Get a test token" }).click();
    await expect(page.getByTestId("test-token")).toContainText(`It is for ${clientName} with read:items`);
    const token = (await codeBlock(page, "Access token")).trim();
    expect((await codeBlock(page, "Call your API")).trim()).toBe(`curl -i "${identifier}" \\\n  -H "Authorization: Bearer ${token}"`);

    // What the verification snippets check, against the server's own JWKS.
    const { payload, protectedHeader } = await jwtVerify(token, createRemoteJWKSet(new URL(`${BASE_URL}/.well-known/jwks.json`)), {
      issuer: BASE_URL,
      audience: identifier,
      typ: "at+jwt",
    });
    expect(protectedHeader.typ).toBe("at+jwt");
    expect(payload).toMatchObject({ sub: app.clientId, client_id: app.clientId, scope: "read:items" });
    // The API's own credentials see it live at introspection (RFC 7662).
    expect(await introspect(api.clientId, api.secret, token)).toMatchObject({ active: true, aud: identifier, scope: "read:items", client_id: app.clientId });

    // Shown once: not after a reload.
    await page.reload();
    expect(await page.content()).not.toContain(token);
    await page.context().close();
  });

  test("the consent screen groups an API's scopes under its name, in plain words", async ({ browser }) => {
    test.setTimeout(90_000);
    const dev = await createUser({ prefix: "api-consent", role: "developer" });
    const page = await signedInPage(browser, dev, { width: 390, height: 844 });
    const apiName = `Items API ${uniq()}`;
    const host = `consent-${uniq()}.example.com`;
    await new ApiFormPage(page).create(apiName, `https://${host}/v1`, "read:items=Read your items\nwrite:items=Change your items");
    const redirectUri = "https://app.example.com/cb";
    const app = await new ClientFormPage(page).register(`Consent app ${uniq()}`, [redirectUri]);

    const authorize = new URL("/oauth/authorize", BASE_URL);
    for (const [k, v] of Object.entries({
      response_type: "code",
      client_id: app.clientId,
      redirect_uri: redirectUri,
      scope: "openid read:items write:items",
      resource: `https://${host}/v1`,
      code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
      code_challenge_method: "S256",
      state: "s1",
    }))
      authorize.searchParams.set(k, v);
    await page.goto(authorize.href);
    await expect(page).toHaveURL((u) => u.pathname === "/consent");
    const group = page.getByTestId("consent-api");
    await expect(group).toHaveCount(1);
    await expect(group.getByRole("heading", { level: 3 })).toHaveText(apiName);
    await expect(group).toContainText(host);
    await expect(group.getByRole("list", { name: apiName }).getByRole("listitem")).toHaveText(["Read your items", "Change your items"]);
    await expect(page.getByRole("list", { name: "Your account" }).getByRole("listitem")).toHaveCount(1);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: test.info().outputPath("consent-api-phone.png"), fullPage: true });
    await page.context().close();
  });
});
