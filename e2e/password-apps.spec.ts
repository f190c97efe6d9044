// A password change signs the user's connected apps out unless they choose to keep them
// (issue #15): the refresh token stops working at once (RFC 6749 §5.2 invalid_grant).
import { expect, test } from "./support";
import { strongPassword } from "./support/users";
import { CallbackServer, RelyingParty, expectOAuthError, obtainTokens, registerClient } from "./support/oauth";
import { ConnectedAppsPage, PasswordPage } from "./support/account";

test.describe("password change and connected apps", () => {
  let callbacks: CallbackServer;
  let rp: RelyingParty;
  test.beforeAll(async () => {
    callbacks = await CallbackServer.start();
    rp = await RelyingParty.discover(await registerClient("confidential", callbacks.redirectUri));
  });
  test.afterAll(async () => {
    await callbacks?.close();
  });

  const keepApps = (page: import("@playwright/test").Page) =>
    page.getByRole("checkbox", { name: "Keep my connected apps signed in", exact: true });

  test("by default (box unticked) the apps are signed out: the refresh token is refused at once", async ({ page, user }) => {
    const { tokens } = await obtainTokens(page, rp, callbacks, user);
    const form = new PasswordPage(page);
    await form.goto();
    await expect(keepApps(page)).not.toBeChecked();
    await form.change(user.password, strongPassword());
    await expect(page).toHaveURL((u) => u.pathname === "/account" && u.searchParams.get("password") === "changed");
    await expectOAuthError(rp.refresh(tokens.refresh_token!), "invalid_grant");
    const apps = new ConnectedAppsPage(page);
    await apps.goto();
    await expect(apps.emptyState).toBeVisible();
  });

  test("with Keep my connected apps signed in ticked, the app keeps working", async ({ page, user }) => {
    const { tokens } = await obtainTokens(page, rp, callbacks, user);
    const form = new PasswordPage(page);
    await form.goto();
    await keepApps(page).check();
    await form.change(user.password, strongPassword());
    await expect(page).toHaveURL((u) => u.pathname === "/account" && u.searchParams.get("password") === "changed");
    const refreshed = await rp.refresh(tokens.refresh_token!);
    expect(refreshed.access_token).toEqual(expect.any(String));
  });
});
