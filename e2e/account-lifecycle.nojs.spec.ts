// Deleting one's own account and downloading one's data with JavaScript off: plain form posts
// all the way, no 5xx, the same outcome as with scripts.
import { BASE_URL } from "./env";
import { MESSAGES, SignInPage, alerts, expect, test } from "./support";
import { CallbackServer, RelyingParty, obtainTokens, registerClient } from "./support/oauth";
import { DeleteAccountPage, readDownload, rowsOfUser } from "./support/lifecycle";

let callbacks: CallbackServer;
let rp: RelyingParty;

test.beforeAll(async () => {
  callbacks = await CallbackServer.start();
  rp = await RelyingParty.discover(await registerClient("confidential", callbacks.redirectUri));
});
test.afterAll(async () => {
  await callbacks?.close();
});

test("delete my account without JavaScript: wrong password refused, then deleted and signed out; tokens from before inactive", async ({ page, user }) => {
  const serverErrors: string[] = [];
  page.on("response", (r) => {
    if (r.status() >= 500) serverErrors.push(`${r.status()} ${r.url()}`);
  });
  const { tokens } = await obtainTokens(page, rp, callbacks, user);
  const del = new DeleteAccountPage(page);
  await del.openFromAccount();
  await expect(page.locator("form").filter({ has: del.yes })).toHaveAttribute("method", /^post$/i);

  await del.confirmWith("not my password");
  await expect(alerts(page).first()).toContainText("That is not your current password.");
  expect(await rowsOfUser("User", user.id)).toBe(1);

  await del.confirmWith(user.password);
  await expect(page).toHaveURL(`${BASE_URL}/account/deleted`);
  await expect(page.getByRole("heading", { level: 1, name: "Your account was deleted" })).toBeVisible();
  await page.screenshot({ path: "/tmp/lc-deleted-nojs.png", fullPage: true });

  await page.goto("/account");
  await expect(page).toHaveURL((u) => u.pathname === "/signin");
  expect(await new SignInPage(page).refusedAttempt(user.email, user.password)).toBe(MESSAGES.badCredentials);
  expect(await rp.introspect(tokens.access_token)).toEqual({ active: false });
  expect(await rowsOfUser("User", user.id)).toBe(0);
  expect(serverErrors).toEqual([]);
});

test("download my data without JavaScript", async ({ page, user }) => {
  const signIn = new SignInPage(page);
  await signIn.goto("/account");
  await signIn.signIn(user.email, user.password);
  await expect(page).toHaveURL((u) => u.pathname === "/account");
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download my data" }).click()]);
  const { name, json } = await readDownload(download);
  expect(name).toMatch(/^latchkey-account-\d{4}-\d{2}-\d{2}\.json$/);
  expect((json as { profile: { email: string } }).profile.email).toBe(user.email);
});
