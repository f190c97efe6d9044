// The end user's account: connected apps (revoking one ends the app's tokens at once, seen
// through openid-client as the relying party), password change, sessions, a forced reset,
// and screenshots of the pages on a phone and a desktop.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { expect, linkTo, test, waitForMail } from "./support";
import { SCOPES } from "../lib/oauth/scopes";
import { describeUserAgent } from "../lib/auth/user-agent";
import { strongPassword, uniqueEmail } from "./support/users";
import {
  CallbackServer,
  FLOW_SCOPES,
  RelyingParty,
  expectInvalidTokenChallenge,
  expectOAuthError,
  obtainTokens,
  registerClient,
  scopeSet,
  FLOW_SCOPE,
} from "./support/oauth";
import {
  ConnectedAppsPage,
  PasswordPage,
  SessionsPage,
  expectSignedOut,
  flagPasswordReset,
  signIn,
  signedInContext,
} from "./support/account";
import { AccountPage, SignInPage, MESSAGES, alerts } from "./support/pages";

test.describe("profile", () => {
  test("the name saves; a new email needs the current password and the link mailed to it, then signs in", async ({ page, user }) => {
    await signIn(page, user);
    const name = page.getByLabel("Name", { exact: true });
    const email = page.getByLabel("Email", { exact: true });
    const save = page.getByRole("button", { name: "Save profile", exact: true });
    await expect(name).toHaveValue(user.name);
    await expect(page.getByLabel("Current password", { exact: true })).toHaveCount(0);

    await name.fill("Ada Lovelace");
    await save.click();
    await expect(page).toHaveURL((u) => u.pathname === "/account" && u.searchParams.get("saved") === "1");
    await expect(page.getByRole("status").filter({ hasText: /\S/ })).toHaveText("Your profile was saved.");
    await expect(name).toHaveValue("Ada Lovelace");

    const newEmail = uniqueEmail("renamed");
    await email.fill(newEmail.toUpperCase());
    const current = page.getByLabel("Current password", { exact: true });
    await expect(current).toBeVisible();
    await current.fill("not my password at all");
    await save.click();
    await expect(page.getByText("That is not your current password.", { exact: true })).toBeVisible();
    // What was typed is still there next to the error.
    await expect(email).toHaveValue(newEmail.toUpperCase());

    await page.getByLabel("Current password", { exact: true }).fill(user.password);
    await save.click();
    await expect(page).toHaveURL((u) => u.pathname === "/account" && u.searchParams.get("email") === "pending");
    await expect(page.getByRole("status").filter({ hasText: /\S/ })).toContainText("We sent a link to your new address.");
    // Not changed until the new address's link is used.
    await expect(email).toHaveValue(user.email);

    const mail = await waitForMail(newEmail, "Confirm your new email address for Latchkey");
    await page.goto(linkTo(mail, "/verify-email"));
    await page.getByRole("button", { name: "Change my address" }).click();
    await expect(page).toHaveURL((u) => u.pathname === "/account" && u.searchParams.get("email") === "changed");
    await expect(email).toHaveValue(newEmail);
    await expect(page.getByText("verified", { exact: true })).toBeVisible();
    // The old address is told.
    const notice = await waitForMail(user.email, "Your Latchkey email address was changed");
    expect(notice.text).toContain(`to ${newEmail}`);

    // The new address is the one to sign in with.
    await new AccountPage(page).signOut();
    await expect(page).toHaveURL((u) => u.pathname === "/signin");
    await signIn(page, { ...user, email: newEmail });
  });
});

test.describe("connected apps", () => {
  let callbacks: CallbackServer;
  let rp: RelyingParty;

  test.beforeAll(async () => {
    callbacks = await CallbackServer.start();
    rp = await RelyingParty.discover(await registerClient("confidential", callbacks.redirectUri));
  });
  test.afterAll(async () => {
    await callbacks?.close();
  });

  test("no apps: the empty state says what the page is for", async ({ page, user }) => {
    await signIn(page, user);
    const apps = new ConnectedAppsPage(page);
    await apps.goto();
    await expect(apps.emptyState).toBeVisible();
    await expect(page.getByText("When you sign in to an app with Latchkey and allow it access")).toBeVisible();
    await expect(apps.list).toHaveCount(0);
  });

  test("an app the user allowed is listed; revoking it ends its access, userinfo, introspection and refresh at once", async ({
    page,
    user,
  }) => {
    const { tokens } = await obtainTokens(page, rp, callbacks, user);
    const sub = tokens.claims()!.sub;
    const refreshToken = tokens.refresh_token!;
    // Working before the revocation.
    expect((await rp.userinfo(tokens.access_token, sub)).sub).toBe(sub);
    const before = await rp.introspect(tokens.access_token);
    expect({ active: before.active, client_id: before.client_id, sub: before.sub }).toEqual({
      active: true,
      client_id: rp.registered.clientId,
      sub,
    });
    expect(scopeSet(before.scope)).toEqual(scopeSet(FLOW_SCOPE));

    const apps = new ConnectedAppsPage(page);
    await apps.goto();
    await expect(apps.items).toHaveCount(1);
    const item = apps.app(rp.registered.name);
    await expect(item).toBeVisible();
    for (const scope of FLOW_SCOPES) await expect(item, `scope ${scope} in plain words`).toContainText(SCOPES[scope]);
    // An access token was issued: last used is a date, not "Never".
    await expect(item.getByText("Last used", { exact: true })).toBeVisible();
    await expect(item).not.toContainText("Never");
    await expect(item).toContainText(/Allowed\s*\w{3} \d{1,2}, \d{4}/);

    // The confirm step: Cancel changes nothing.
    await item.getByRole("button", { name: "Revoke access", exact: true }).click();
    await expect(item.getByRole("group", { name: `Confirm revoking ${rp.registered.name}` })).toBeFocused();
    await item.getByRole("button", { name: "Cancel", exact: true }).click();
    await expect(item.getByRole("button", { name: "Revoke access", exact: true })).toBeFocused();
    expect((await rp.userinfo(tokens.access_token, sub)).sub).toBe(sub);

    await apps.revoke(rp.registered.name);
    await expect(page).toHaveURL((u) => u.pathname === "/account/apps" && u.searchParams.get("revoked") === "1");
    await expect(apps.status).toHaveText("Access revoked. The app can no longer use your account.");
    await expect(apps.emptyState).toBeVisible();

    // At once, on the wire: RFC 6750 §3.1 401 invalid_token at userinfo; RFC 7662 §2.2
    // {active:false} and nothing else; RFC 6749 §5.2 invalid_grant for the refresh token.
    await expectInvalidTokenChallenge(rp.userinfo(tokens.access_token, sub));
    expect(rp.responsesFrom("userinfo_endpoint").at(-1)?.status).toBe(401);
    expect(await rp.introspect(tokens.access_token)).toEqual({ active: false });
    await expectOAuthError(rp.refresh(refreshToken), "invalid_grant");
  });
});

test.describe("password", () => {
  test("a wrong current password is an inline error; a change signs out the other browser and keeps this one", async ({
    page,
    browser,
    user,
  }) => {
    await signIn(page, user);
    const other = await signedInContext(browser, user);
    try {
      const form = new PasswordPage(page);
      await form.goto();
      await form.change("not my password at all", strongPassword());
      await expect(page.getByText("That is not your current password.", { exact: true })).toBeVisible();
      await expect(form.current).toHaveAttribute("aria-invalid", "true");
      await expect(page).toHaveURL((u) => u.pathname === "/account/password");

      await form.current.fill(user.password);
      await form.next.fill("short");
      await form.submit.click();
      await expect(page.getByText("Use at least 10 characters", { exact: true })).toBeVisible();

      const newPassword = strongPassword();
      await form.change(user.password, newPassword);
      await expect(page).toHaveURL((u) => u.pathname === "/account" && u.searchParams.get("password") === "changed");
      await expect(page.getByRole("status").filter({ hasText: /\S/ })).toHaveText(
        "Your password was changed. Every other browser was signed out.",
      );

      // The other browser is signed out; this one is not.
      await expectSignedOut(other.page);
      await page.goto("/account");
      await expect(page).toHaveURL((u) => u.pathname === "/account");

      // The old password no longer signs in; the new one does.
      const signInPage = new SignInPage(other.page);
      expect(await signInPage.refusedAttempt(user.email, user.password)).toBe(MESSAGES.badCredentials);
      await signIn(other.page, user, newPassword);
    } finally {
      await other.context.close();
    }
  });

  test("while an admin requires a reset, every portal page leads to the password page until it is changed", async ({
    page,
    user,
  }) => {
    await signIn(page, user);
    await flagPasswordReset(user.id);
    for (const path of ["/account", "/account/apps", "/account/sessions"]) {
      await page.goto(path);
      await expect(page, `${path} redirects to the password page`).toHaveURL((u) => u.pathname === "/account/password");
    }
    await expect(page.getByRole("heading", { level: 1, name: "Choose a new password" })).toBeVisible();
    await expect(alerts(page)).toContainText("An administrator asked you to choose a new password");
    // No way around it from here: the account's tabs are not shown.
    await expect(page.getByRole("navigation", { name: "Account" })).toHaveCount(0);

    await new PasswordPage(page).change(user.password, strongPassword());
    await expect(page).toHaveURL((u) => u.pathname === "/account" && u.searchParams.get("password") === "changed");
    await page.goto("/account/apps");
    await expect(page).toHaveURL((u) => u.pathname === "/account/apps");
  });
});

test.describe("sessions", () => {
  test("this browser is marked; signing out another session ends it on its next page load", async ({ page, browser, user }) => {
    await signIn(page, user);
    const other = await signedInContext(browser, user);
    try {
      const sessions = new SessionsPage(page);
      await sessions.goto();
      await expect(sessions.items).toHaveCount(2);
      await expect(sessions.thisBrowser).toHaveCount(1);
      // The device in plain words from this browser's User-Agent, and the loopback address.
      const device = describeUserAgent(await page.evaluate(() => navigator.userAgent));
      expect(device).toMatch(/^Chrome on \w+/);
      await expect(sessions.thisBrowser).toContainText(device);
      await expect(sessions.thisBrowser).toContainText("127.0.0.1");
      await expect(sessions.thisBrowser.getByRole("button", { name: /^Sign out/ })).toHaveCount(0);

      await sessions.others.getByRole("button", { name: /^Sign out/ }).click();
      await expect(page).toHaveURL((u) => u.pathname === "/account/sessions" && u.searchParams.get("ended") === "1");
      await expect(page.getByRole("status").filter({ hasText: /\S/ })).toHaveText("That browser was signed out.");
      await expect(sessions.items).toHaveCount(1);
      await expect(page.getByText("You are not signed in anywhere else.")).toBeVisible();

      await expectSignedOut(other.page);
      // This browser is still signed in.
      await sessions.goto();
      await expect(sessions.thisBrowser).toHaveCount(1);
    } finally {
      await other.context.close();
    }
  });

  test("sign out all other sessions ends both others and keeps this one", async ({ page, browser, user }) => {
    await signIn(page, user);
    const second = await signedInContext(browser, user);
    const third = await signedInContext(browser, user);
    try {
      const sessions = new SessionsPage(page);
      await sessions.goto();
      await expect(sessions.items).toHaveCount(3);
      await sessions.signOutOthers.click();
      await expect(page).toHaveURL((u) => u.pathname === "/account/sessions" && u.searchParams.get("ended") === "all");
      await expect(sessions.items).toHaveCount(1);
      await expect(sessions.thisBrowser).toHaveCount(1);
      await expectSignedOut(second.page);
      await expectSignedOut(third.page);
    } finally {
      await second.context.close();
      await third.context.close();
    }
  });
});

test.describe("screenshots", () => {
  const dir = path.join("test-results", "account-screens");
  const VIEWPORTS = [
    { name: "phone", width: 390, height: 844 },
    { name: "desktop", width: 1280, height: 900 },
  ] as const;

  test("account pages on a phone and a desktop", async ({ page, browser, user }) => {
    mkdirSync(dir, { recursive: true });
    const callbacks = await CallbackServer.start();
    // A second browser, so that the sessions page shows one to sign out.
    const other = await signedInContext(browser, user);
    try {
      const rp = await RelyingParty.discover(await registerClient("public", callbacks.redirectUri));
      await obtainTokens(page, rp, callbacks, user);
      for (const vp of VIEWPORTS) {
        await page.setViewportSize({ width: vp.width, height: vp.height });
        for (const [name, route] of [
          ["profile", "/account"],
          ["apps", "/account/apps"],
          ["sessions", "/account/sessions"],
          ["password", "/account/password"],
        ] as const) {
          await page.goto(route);
          await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
          await page.screenshot({ path: `${dir}/${name}-${vp.name}.png`, fullPage: true });
        }
        await page.goto("/account/apps");
        await new ConnectedAppsPage(page).app(rp.registered.name).getByRole("button", { name: "Revoke access" }).click();
        await page.screenshot({ path: `${dir}/apps-confirm-${vp.name}.png`, fullPage: true });
      }
    } finally {
      await callbacks.close();
      await other.context.close();
    }
  });
});
