// The flow inspector end to end against the real endpoints: a developer tries their
// confidential client from the dashboard, A -> sign-in/consent -> C -> D -> E, then UserInfo,
// refresh, revoke. Plus: a wrong secret is explained; a non-owner gets a 404.
import { createHash } from "node:crypto";
import { BASE_URL } from "./env";
import { SignInPage, createUser, expect, test } from "./support";
import { ConsentPage } from "./support/oauth";
import { InspectorPage, createOwnedClient, tryPath } from "./support/inspector";
import { cliInProcess } from "./support/cli";

const CALLBACK = `${BASE_URL}/dashboard/inspector/callback`;

test("a developer runs the whole flow of their client in the inspector", async ({ page }) => {
  test.setTimeout(90_000);
  const dev = await createUser({ prefix: "inspector-dev", role: "developer" });
  const client = await createOwnedClient(dev.email);
  const inspector = new InspectorPage(page);

  // Signed out: the try page sends the developer to sign in, and back.
  await page.goto(tryPath(client.rowId));
  await new SignInPage(page).signIn(dev.email, dev.password);
  await expect(page).toHaveURL((u) => u.pathname === tryPath(client.rowId));
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Try ${client.name}`);

  // Step A: the callback is not registered yet; one click adds it.
  await expect(page.getByText(`redirect_uri does not match any registered URI: the inspector uses ${CALLBACK}, but you registered ${client.redirectUri}.`)).toBeVisible();
  await expect(inspector.sendToAuthorize).toHaveCount(0);
  await inspector.addCallback.click();
  await expect(page.getByText("one of this client's registered redirect URIs")).toBeVisible();
  await expect(inspector.addCallback).toHaveCount(0);

  await inspector.prepare.click();
  await expect(inspector.sendToAuthorize).toBeVisible();
  const authorizeUrl = new URL((await inspector.sendToAuthorize.getAttribute("href"))!);
  expect(authorizeUrl.origin + authorizeUrl.pathname).toBe(`${BASE_URL}/oauth/authorize`);
  const q = Object.fromEntries(authorizeUrl.searchParams);
  expect(q).toMatchObject({
    response_type: "code",
    client_id: client.clientId,
    redirect_uri: CALLBACK,
    scope: "openid profile email offline_access",
    code_challenge_method: "S256",
  });
  // The verifier shown on the page hashes to the challenge sent (RFC 7636 §4.2).
  const pkce = page.locator('dl[aria-label="PKCE values"]');
  const verifier = (await pkce.locator("code").first().innerText()).trim();
  expect(verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(createHash("sha256").update(verifier).digest("base64url")).toBe(q.code_challenge);
  for (const name of ["response_type", "client_id", "redirect_uri", "scope", "state", "nonce", "code_challenge", "code_challenge_method"]) {
    await expect(page.locator('dl[aria-label="Authorization request parameters"] dt', { hasText: name }).first()).toBeVisible();
  }

  // A -> B: the real authorization endpoint and consent screen; C: back at the inspector.
  await inspector.sendToAuthorize.click();
  const consent = new ConsentPage(page);
  await expect(consent.allow).toBeVisible();
  await expect(page.locator("body")).toContainText(client.name);
  await consent.allow.click();
  await expect(page).toHaveURL((u) => u.href.startsWith(`${CALLBACK}?`));
  const callback = new URL(page.url());
  expect(callback.searchParams.get("state")).toBe(q.state);
  expect(callback.searchParams.get("iss")).toBe(BASE_URL);
  expect(callback.searchParams.get("code")).toBeTruthy();
  const checks = page.getByRole("list", { name: "Checks on the redirect" });
  await expect(checks).toContainText("Matches the state sent in step A.");
  await expect(checks).toContainText(`Is ${BASE_URL}, the server the request went to (RFC 9207).`);

  // D with a wrong secret: refused, explained in plain words, the secret never shown.
  await inspector.secret.fill("lks_this-is-not-the-secret");
  await inspector.sendTokenRequest.click();
  const refused = await inspector.expectExchange("Token request (authorization_code)", 1, 401);
  await expect(refused).toContainText('"error": "invalid_client"');
  await expect(refused).toContainText("Client authentication failed: the secret doesn't match this client's current secret");
  await expect(page.locator("body")).not.toContainText("this-is-not-the-secret");

  // D with the right secret -> E: tokens decoded, signatures valid against the JWKS.
  await inspector.secret.fill(client.clientSecret);
  await inspector.sendTokenRequest.click();
  await inspector.expectExchange("Token request (authorization_code)", 2, 200);
  const stepE = page.locator("#step-e");
  await expect(stepE.locator("[data-token]")).toHaveCount(2);
  for (const kind of ["access_token", "id_token"]) {
    await expect(stepE.locator(`[data-token="${kind}"] [data-signature]`)).toContainText(/^Signature valid, key \S+, alg ES256/);
  }
  await expect(stepE).toContainText("at_hash");
  await expect(stepE).toContainText("matches the nonce sent in step A");
  await expect(page.locator("body")).not.toContainText(client.clientSecret);
  // The screenshot: step E's response and the decoded access token, on a desktop.
  await page.setViewportSize({ width: 1280, height: 1400 });
  await stepE.evaluate((el) => el.scrollIntoView({ block: "start" }));
  await page.screenshot({ path: "docs/screenshots/inspector.png" });
  await page.screenshot({ path: "test-results/inspector-desktop-callback.png", fullPage: true });

  // UserInfo with the access token.
  await inspector.userinfo.click();
  const info = await inspector.expectExchange("UserInfo request", 1, 200);
  await expect(info).toContainText(`"email": "${dev.email}"`);

  // Refresh: a new refresh token; the old one is no longer active.
  await inspector.refresh.click();
  const refreshed = await inspector.expectExchange("Refresh request", 1, 200);
  await expect(refreshed).toContainText("Rotation: the response carries a new refresh token");
  const old = await inspector.expectExchange("Introspection of the old refresh token", 1, 200);
  await expect(old).toContainText('"active": false');

  // Revoke the access token (RFC 7009): 200; then UserInfo with it is refused.
  await inspector.revoke.click();
  await inspector.expectExchange("Revocation of the access token", 1, 200);
  await inspector.userinfo.click();
  const afterRevoke = await inspector.expectExchange("UserInfo request", 2, 401);
  await expect(afterRevoke).toContainText("The access token was refused");

  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: "test-results/inspector-phone-callback.png", fullPage: true });
  await page.goto(tryPath(client.rowId));
  await page.screenshot({ path: "test-results/inspector-phone-try.png", fullPage: true });

  // A new run; a redirect whose state is not the one sent is a CSRF sign, and stops at C.
  await page.getByRole("button", { name: "Start over with new values" }).click();
  await expect(inspector.sendToAuthorize).not.toHaveAttribute("href", authorizeUrl.href);
  const state = new URL((await inspector.sendToAuthorize.getAttribute("href"))!).searchParams.get("state")!;
  const iss = encodeURIComponent(BASE_URL);
  await page.goto(`${CALLBACK}?code=forged-code&state=not-the-state&iss=${iss}`);
  await expect(page.getByRole("list", { name: "Checks on the redirect" })).toContainText(
    "Does not match the state sent in step A. This is the sign of a forged redirect (CSRF)",
  );
  await expect(inspector.sendTokenRequest).toHaveCount(0);
  // An error response (the user pressed Deny) is explained in plain words.
  await page.goto(`${CALLBACK}?error=access_denied&error_description=The+user+denied+access&state=${state}&iss=${iss}`);
  await expect(page.getByRole("alert").filter({ hasText: "The authorization failed: access_denied" })).toContainText(
    'most often Deny was pressed on the consent screen. Nothing was granted. The server said: "The user denied access".',
  );
  await expect(inspector.sendTokenRequest).toHaveCount(0);
});

test("the API step: a token for the chosen API, checked as its RFC 9068 validator does, with the curl line (issue 17 §3)", async ({ page }) => {
  test.setTimeout(90_000);
  const dev = await createUser({ prefix: "inspector-api", role: "developer" });
  const client = await createOwnedClient(dev.email);
  const tag = Date.now().toString(36);
  const identifier = `https://inspector-api-${tag}.example`;
  await cliInProcess(["api", "create", "--name", `Inspector API ${tag}`, "--identifier", identifier, "--scope", "read:items=Read your items", "--owner", dev.email]);
  const inspector = new InspectorPage(page);
  await page.goto(tryPath(client.rowId));
  await new SignInPage(page).signIn(dev.email, dev.password);
  await inspector.addCallback.click();
  await page.getByLabel("API the access token is for").selectOption({ label: `Inspector API ${tag} (${identifier})` });
  await page.getByRole("checkbox", { name: /^read:items/ }).check();
  await inspector.prepare.click();
  await expect(inspector.sendToAuthorize).toBeVisible();
  const q = new URL((await inspector.sendToAuthorize.getAttribute("href"))!).searchParams;
  expect(q.get("resource")).toBe(identifier);
  expect(q.get("scope")).toBe("openid profile email offline_access read:items");
  await expect(page.locator('dl[aria-label="Authorization request parameters"] dt', { hasText: "resource" })).toBeVisible();

  await inspector.sendToAuthorize.click();
  const consent = new ConsentPage(page);
  await expect(consent.allow).toBeVisible();
  await consent.allow.click();
  await expect(page).toHaveURL((u) => u.href.startsWith(`${CALLBACK}?`));
  await inspector.secret.fill(client.clientSecret);
  await inspector.sendTokenRequest.click();
  await inspector.expectExchange("Token request (authorization_code)", 1, 200);
  const checks = page.getByRole("list", { name: "What the API's validator checks" });
  await expect(checks.locator("li")).toHaveCount(7);
  for (const line of ["signature", "typ", "iss", "aud", "exp", "iat", "scope"]) {
    await expect(checks.locator("li", { hasText: new RegExp(`^.${line} passed`) })).toHaveCount(1);
  }
  await expect(checks).toContainText(`aud passed: includes ${identifier}: the token was issued for this API`);
  await expect(checks).toContainText("scope passed: holds read:items");
  await expect(page.locator("#step-f")).toContainText(`curl -H 'Authorization: Bearer ey`);
  await expect(page.locator("#step-f")).toContainText(`'${identifier}'`);
});

test("another developer gets a 404 on the try page of a client they do not own", async ({ page }) => {
  const owner = await createUser({ prefix: "inspector-owner", role: "developer" });
  const other = await createUser({ prefix: "inspector-other", role: "developer" });
  const client = await createOwnedClient(owner.email);
  await new SignInPage(page).goto();
  await new SignInPage(page).signIn(other.email, other.password);
  await expect(page).toHaveURL((u) => u.pathname === "/account");
  const response = await page.goto(tryPath(client.rowId));
  expect(response?.status()).toBe(404);
  await expect(page.locator("body")).not.toContainText(client.name);
});
