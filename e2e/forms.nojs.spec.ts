// Every form works as plain HTML: this file runs in the "chromium-nojs" project (JavaScript off,
// playwright.config.ts), so each submit below is the browser's own POST, never a script's fetch.
// Sign-in, sign-up, consent Allow and Deny, password change, registering a client and an admin
// action each end where they should, with no 500, and no password ever in a URL.
import type { Page, Request } from "@playwright/test";
import { BASE_URL } from "./env";
import { SignInPage, SignUpPage, alerts, createUser, expect, strongPassword, test, uniqueEmail } from "./support";
import { PasswordPage } from "./support/account";
import { AdminUserPage, signInAs, signInAsAdmin } from "./support/admin";
import {
  CallbackServer,
  ConsentPage,
  RelyingParty,
  expectCodeCallback,
  expectErrorCallback,
  registerClient,
  signInForAuthorization,
} from "./support/oauth";

/** Every request the page makes, to check that no password travels in a URL and nothing fails with a 5xx. */
function watch(page: Page): { requests: Request[]; serverErrors: string[] } {
  const requests: Request[] = [];
  const serverErrors: string[] = [];
  page.on("request", (r) => requests.push(r));
  page.on("response", (r) => {
    if (r.status() >= 500) serverErrors.push(`${r.status()} ${r.request().method()} ${r.url()}`);
  });
  return { requests, serverErrors };
}

function expectNoSecretInUrls(requests: Request[], ...secrets: string[]): void {
  for (const r of requests) {
    for (const s of secrets) expect(r.url(), "a password in a URL").not.toContain(encodeURIComponent(s).slice(0, 12));
  }
}

test("JavaScript is really off in this project", async ({ page }) => {
  await page.setContent('<p id="n">off</p><script>document.getElementById("n").textContent = "on"</script>');
  await expect(page.locator("#n")).toHaveText("off");
});

test("sign-in posts the form and lands on /account; a refusal keeps the email", async ({ page, user }) => {
  const { requests, serverErrors } = watch(page);
  const signIn = new SignInPage(page);
  await signIn.goto();
  await expect(page.locator("form").filter({ has: signIn.submit })).toHaveAttribute("method", /^post$/i);

  await signIn.signIn(user.email, "wrong password entirely");
  await expect(signIn.alert).toHaveText("Email or password is incorrect.");
  await expect(page).toHaveURL(`${BASE_URL}/signin`);
  await expect(signIn.email).toHaveValue(user.email);

  await signIn.signIn(user.email, user.password);
  await expect(page).toHaveURL(`${BASE_URL}/account`);
  await expect(page.getByRole("heading", { level: 1, name: "Your account" })).toBeVisible();
  expect(requests.filter((r) => r.method() === "GET" && r.url().includes("/signin?")).map((r) => r.url())).toEqual([]);
  expectNoSecretInUrls(requests, user.password, "wrong password entirely");
  expect(serverErrors).toEqual([]);
});

test("sign-in follows the callback path on this site", async ({ page, user }) => {
  const signIn = new SignInPage(page);
  await signIn.goto("/account/password");
  await signIn.signIn(user.email, user.password);
  await expect(page).toHaveURL(`${BASE_URL}/account/password`);
});

test("sign-up creates the account and says to check email; an error keeps name and email and lists the fields", async ({ page }) => {
  const { requests, serverErrors } = watch(page);
  const signUp = new SignUpPage(page);
  const email = uniqueEmail("nojs-signup");
  const password = strongPassword();
  await signUp.goto();

  await signUp.signUp("Ada Nojs", "not-an-email", "short");
  const summary = page.getByTestId("error-summary");
  await expect(summary).toBeVisible();
  await expect(summary).toContainText("Email: Enter a valid email address");
  await expect(summary).toContainText("Password: Use at least");
  await expect(summary).toBeFocused();
  await expect(signUp.name).toHaveValue("Ada Nojs");
  await expect(signUp.email).toHaveValue("not-an-email");
  await expect(signUp.password, "a password is never sent back in a page").toHaveValue("");

  await signUp.email.fill(email);
  await signUp.password.fill(password);
  await signUp.submit.click();
  await expect(page.getByRole("status").filter({ hasText: "Check your email" })).toContainText(email);
  expectNoSecretInUrls(requests, password);
  expect(serverErrors).toEqual([]);
});

test.describe("consent", () => {
  let callbacks: CallbackServer;
  test.beforeAll(async () => {
    callbacks = await CallbackServer.start();
  });
  test.afterAll(async () => {
    await callbacks?.close();
  });

  for (const decision of ["Allow", "Deny"] as const) {
    test(`${decision} posts the decision and sends the browser back to the client`, async ({ page, user }) => {
      const { serverErrors } = watch(page);
      const rp = await RelyingParty.discover(await registerClient("confidential", callbacks.redirectUri));
      const request = await rp.authorizationRequest();
      const callback = await callbacks.capture(page, async () => {
        await page.goto(request.url.href);
        await signInForAuthorization(page, user);
        const consent = new ConsentPage(page);
        await consent.expectFor(rp.registered);
        await (decision === "Allow" ? consent.allow : consent.deny).click();
      });
      if (decision === "Allow") {
        expectCodeCallback(callback, request);
        const tokens = await rp.exchange(callback, request);
        expect(tokens.access_token).toBeTruthy();
      } else {
        expectErrorCallback(callback, request, "access_denied");
      }
      expect(serverErrors).toEqual([]);
    });
  }
});

test("password change: an error keeps the page and lists the field; success signs in with the new one", async ({ page, user }) => {
  const { requests, serverErrors } = watch(page);
  await signInAs(page, user);
  const form = new PasswordPage(page);
  await form.goto();
  const next = strongPassword();

  await form.change("not my password", next);
  const summary = page.getByTestId("error-summary");
  await expect(summary).toContainText("Current password");
  await expect(summary).toBeFocused();
  await expect(page).toHaveURL(`${BASE_URL}/account/password`);

  await form.change(user.password, next);
  await expect(page).toHaveURL(`${BASE_URL}/account?password=changed`);

  await page.context().clearCookies();
  await signInAs(page, { email: user.email, password: next });
  expectNoSecretInUrls(requests, user.password, next);
  expect(serverErrors).toEqual([]);
});

test("registering a client shows its client_id and secret once; an error keeps every field", async ({ page }) => {
  const { serverErrors } = watch(page);
  const dev = await createUser({ prefix: "nojs-dev", role: "developer" });
  await signInAs(page, dev);
  await page.goto("/dashboard/clients/new");
  const name = page.getByLabel("Name", { exact: true });
  const uris = page.getByLabel("Redirect URIs", { exact: true });

  await name.fill("No-JS app");
  await uris.fill("https://app.example.com/cb\nhttp://example.com/plain");
  await page.getByRole("checkbox", { name: /^client_credentials\b/ }).check();
  await page.getByRole("button", { name: "Register client" }).click();
  const summary = page.getByTestId("error-summary");
  await expect(summary).toContainText("Redirect URIs");
  await expect(summary).toBeFocused();
  await expect(name).toHaveValue("No-JS app");
  await expect(uris).toHaveValue("https://app.example.com/cb\nhttp://example.com/plain");
  await expect(page.getByRole("checkbox", { name: /^client_credentials\b/ })).toBeChecked();

  await uris.fill("https://app.example.com/cb");
  await page.getByRole("button", { name: "Register client" }).click();
  await expect(page.getByTestId("created-client-id")).toHaveText(/\S/);
  await expect(page.getByLabel("Client secret", { exact: true })).toHaveValue(/\S{20,}/);
  expect(serverErrors).toEqual([]);
});

test("an admin disables a user: asked to confirm first, then done", async ({ page }) => {
  const { serverErrors } = watch(page);
  const target = await createUser({ prefix: "nojs-target" });
  await signInAsAdmin(page);
  const admin = await AdminUserPage.goto(page, target.id);
  await admin.disable.click();
  await expect(page.getByText(/ends every session of this user/)).toBeVisible();
  expect(await admin.badges()).not.toContain("disabled");

  await page.getByRole("button", { name: "Yes, disable user" }).click();
  await expect(alerts(page).or(admin.status)).toContainText(/Disabled\. Ended/);
  await AdminUserPage.goto(page, target.id);
  expect(await admin.badges()).toContain("disabled");
  expect(serverErrors).toEqual([]);
});
