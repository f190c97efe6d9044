// Deleting one's own account and downloading one's data, with JavaScript: the confirmation page
// says what goes; a wrong password is refused; Cancel backs out; the deletion signs the browser
// out, the old password no longer signs in, and an access token issued before is inactive at
// introspection. The download is a JSON attachment of exactly the user's data, from a POST that
// another site cannot make.
import { BASE_URL } from "./env";
import { MESSAGES, SignInPage, alerts, expect, test } from "./support";
import { signIn } from "./support/account";
import { CallbackServer, RelyingParty, expectInvalidTokenChallenge, expectOAuthError, obtainTokens, registerClient } from "./support/oauth";
import { DeleteAccountPage, auditOf, readDownload, rowsOfUser } from "./support/lifecycle";

let callbacks: CallbackServer;
let rp: RelyingParty;

test.beforeAll(async () => {
  callbacks = await CallbackServer.start();
  rp = await RelyingParty.discover(await registerClient("confidential", callbacks.redirectUri));
});
test.afterAll(async () => {
  await callbacks?.close();
});

test("delete my account: confirm with the password; signed out, the password no longer works, tokens from before are inactive", async ({ page, user }) => {
  const { tokens } = await obtainTokens(page, rp, callbacks, user);
  expect((await rp.introspect(tokens.access_token)).active).toBe(true);
  await page.goto("/account");
  await expect(page).toHaveURL((u) => u.pathname === "/account");

  const del = new DeleteAccountPage(page);
  await del.openFromAccount();
  await expect(del.confirmStep).toContainText(`Delete ${user.email} permanently?`);
  await expect(del.confirmStep).toContainText("1 connected app");
  await expect(del.confirmStep).toContainText("1 signed-in session");
  await expect(del.confirmStep).toContainText("authenticator app (not set up), 0 passkeys, 0 unused recovery codes");
  await page.screenshot({ path: "/tmp/lc-delete.png", fullPage: true });

  await del.confirmWith("not my password");
  await expect(alerts(page).first()).toContainText("That is not your current password.");
  await expect(page).toHaveURL((u) => u.pathname === "/account/delete");
  expect(await rowsOfUser("User", user.id)).toBe(1);

  await del.confirmWith(user.password);
  await expect(page).toHaveURL(`${BASE_URL}/account/deleted`);
  await expect(page.getByRole("heading", { level: 1, name: "Your account was deleted" })).toBeVisible();
  const cookies = (await page.context().cookies()).map((c) => c.name);
  expect(cookies.filter((n) => n.includes("session-token") || n.includes("latchkey-device"))).toEqual([]);

  // Signed out: the account pages send to sign-in, where the old password is refused.
  await page.goto("/account");
  await expect(page).toHaveURL((u) => u.pathname === "/signin");
  expect(await new SignInPage(page).refusedAttempt(user.email, user.password)).toBe(MESSAGES.badCredentials);

  // The JWT still verifies by its signature, but its row is gone: inactive (RFC 7662 §2.2), and
  // the refresh token no longer works.
  expect(await rp.introspect(tokens.access_token)).toEqual({ active: false });
  await expectInvalidTokenChallenge(rp.userinfo(tokens.access_token, tokens.claims()!.sub));
  await expectOAuthError(rp.refresh(tokens.refresh_token!), "invalid_grant");
  for (const table of ["User", "PortalSession", "AccessToken", "RefreshToken", "Consent", "TrustedDevice"] as const) {
    expect(await rowsOfUser(table, user.id), table).toBe(0);
  }
  const events = await auditOf(user.id);
  expect(events.at(-1)?.type).toBe("account.deleted");
  for (const e of events) expect(e.data ?? "").not.toContain(user.email);
});

test("Cancel backs out to the account page and deletes nothing; the goodbye page is not for the signed-in", async ({ page, user }) => {
  await signIn(page, user);
  await page.goto("/account/deleted");
  await expect(page).toHaveURL(`${BASE_URL}/account`);
  const del = new DeleteAccountPage(page);
  await del.openFromAccount();
  await del.password.fill(user.password);
  await del.cancel.click();
  await expect(page).toHaveURL(`${BASE_URL}/account`);
  expect(await rowsOfUser("User", user.id)).toBe(1);
});

test("download my data: a JSON attachment of the user's own data, never cached; only from our own pages", async ({ page, user }) => {
  await obtainTokens(page, rp, callbacks, user);
  await page.goto("/account");
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download my data" }).click()]);
  const { name, json } = await readDownload(download);
  expect(name).toBe(`latchkey-account-${new Date().toISOString().slice(0, 10)}.json`);
  const file = json as {
    profile: Record<string, unknown>;
    connectedApps: { name: string; scopes: { scope: string }[] }[];
    sessions: { current: boolean; ip: string | null }[];
    secondFactors: unknown;
    securityEvents: { events: { type: string }[] };
  };
  expect(Object.keys(file)).toEqual(["exportedAt", "profile", "connectedApps", "sessions", "secondFactors", "securityEvents"]);
  expect(file.profile).toMatchObject({ id: user.id, email: user.email, name: user.name, emailVerified: false, role: "user" });
  expect(file.connectedApps.map((a) => a.name)).toEqual([rp.registered.name]);
  expect(file.connectedApps[0]!.scopes.map((s) => s.scope).sort()).toEqual(["email", "offline_access", "openid", "profile"]);
  expect(file.sessions.filter((s) => s.current)).toHaveLength(1);
  expect(file.secondFactors).toEqual({ authenticatorApp: { enabled: false, enabledAt: null }, passkeys: [], recoveryCodesLeft: 0 });
  expect(file.securityEvents.events.map((e) => e.type)).toContain("signin.succeeded");
  expect((await auditOf(user.id)).map((e) => e.type)).toContain("account.exported");

  // The response itself, with this browser's cookies.
  const ok = await page.request.post("/account/export", { headers: { origin: BASE_URL } });
  expect(ok.status()).toBe(200);
  expect(ok.headers()["content-type"]).toBe("application/json; charset=utf-8");
  expect(ok.headers()["content-disposition"]).toMatch(/^attachment; filename="latchkey-account-\d{4}-\d{2}-\d{2}\.json"$/);
  expect(ok.headers()["cache-control"]).toBe("no-store");
  // Another site's page posting with the user's cookies, and a GET (a link, an image), get nothing.
  const forged = await page.request.post("/account/export", { headers: { origin: "https://evil.example" } });
  expect(forged.status()).toBe(403);
  expect(await forged.text()).not.toContain(user.email);
  const get = await page.request.get("/account/export", { maxRedirects: 0 });
  expect(get.status()).toBe(405);
});

test("download my data while signed out leads to sign-in", async ({ page }) => {
  const r = await page.request.post("/account/export", { headers: { origin: BASE_URL }, maxRedirects: 0 });
  expect(r.status()).toBe(303);
  expect(r.headers().location).toBe("/signin?callbackUrl=%2Faccount");
});
