// The admin console end to end: disabling a signed-in user signs them out at once; "revoke all
// for client" kills live tokens (userinfo 401, refresh invalid_grant); a suspended client gets
// invalid_client; a non-admin gets a 404 for every admin page and every replayed admin action
// changes nothing; the audit log never holds a secret. Screenshots of the users page and the
// audit log, phone and desktop, go to test-results/.
import type { BrowserContext, Page } from "@playwright/test";
import * as client from "openid-client";
import { ADMIN } from "./env";
import { createUser, expect, test, type TestUser } from "./support";
import {
  CallbackServer,
  RelyingParty,
  expectInvalidClient,
  expectInvalidTokenChallenge,
  expectOAuthError,
  obtainTokens,
  registerClient,
} from "./support/oauth";
import {
  AdminUserPage,
  AdminUsersPage,
  adminPageUrls,
  allAuditEventText,
  alerts,
  recordAction,
  registerServiceClient,
  replayAction,
  signInAs,
  signInAsAdmin,
  type RecordedAction,
} from "./support/admin";

async function newSignedInContext(browser: import("@playwright/test").Browser, who: { email: string; password: string }) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInAs(page, who);
  return { context, page };
}

test.describe("admin console", () => {
  let callbacks: CallbackServer;
  test.beforeAll(async () => {
    callbacks = await CallbackServer.start();
  });
  test.afterAll(async () => {
    await callbacks?.close();
  });

  test("disabling a user who is mid-session signs them out on their next request", async ({ page, browser }) => {
    const victim = await createUser({ prefix: "victim" });
    const other = await newSignedInContext(browser, victim);
    await expect(other.page.getByText(victim.email).first()).toBeVisible();

    await signInAsAdmin(page);
    const userPage = await new AdminUsersPage(page).open(victim.email);
    await expect(page.getByRole("heading", { name: "Sessions" })).toBeVisible();
    await userPage.disable.click();
    await expect(page.getByTestId("confirm-step")).toContainText(`Disable ${victim.email}? This ends every session of this user`);
    await expect(page.getByTestId("confirm-step")).toBeFocused();
    expect(await userPage.badges(), "nothing happens before the yes").toEqual(["user"]);
    await page.getByRole("button", { name: "Yes, disable user" }).click();
    await expect(userPage.status).toContainText("Disabled. Ended 1 session; revoked 0 consents, 0 refresh tokens and 0 access tokens.");
    await expect(userPage.enable).toBeVisible();
    expect(await userPage.badges()).toEqual(["user", "disabled"]);

    // The victim's very next request: signed out (sent to sign-in), not their account page.
    await other.page.goto("/account");
    await expect(other.page).toHaveURL((u) => u.pathname === "/signin");

    // Recorded, with the counts, by the admin.
    await page.goto(`/admin/audit?type=user.disabled&subject=${encodeURIComponent(victim.email)}`);
    const events = page.getByRole("list", { name: "Audit events" }).getByRole("listitem");
    await expect(events).toHaveCount(1);
    await expect(events.first()).toContainText("admin@e2e.test");
    await expect(events.first().locator("pre")).toContainText('"sessions": 1');
    await other.context.close();
  });

  test("an admin cannot disable or demote themselves: a clear error, nothing changes", async ({ page }) => {
    await signInAsAdmin(page);
    const me = await new AdminUsersPage(page).open("admin@e2e.test");
    await me.disable.click();
    await expect(alerts(page)).toHaveText("You cannot disable your own account.");
    await me.role.selectOption("user");
    await me.saveRole.click();
    await expect(alerts(page).filter({ hasText: "role" })).toHaveText("You cannot change your own role.");
    await page.reload();
    expect(await me.badges()).toEqual(["admin"]);
  });

  test("revoke all for a client: preview, confirm, report; its access token is then 401 at userinfo and its refresh token invalid_grant", async ({ page, browser }) => {
    const registered = await registerClient("confidential", callbacks.redirectUri);
    const rp = await RelyingParty.discover(registered);
    const user = await createUser({ prefix: "grantee" });
    const userContext = await browser.newContext();
    const { tokens } = await obtainTokens(await userContext.newPage(), rp, callbacks, user);
    const sub = tokens.claims()!.sub;
    await rp.userinfo(tokens.access_token, sub); // live before
    const refreshToken = tokens.refresh_token!;

    await signInAsAdmin(page);
    await page.goto(`/admin/grants?client=${encodeURIComponent(registered.clientId)}`);
    const grants = page.getByRole("list", { name: "Grants" }).getByRole("listitem");
    await expect(grants).toHaveCount(1);
    await expect(grants.first()).toContainText(user.email);
    await expect(grants.first()).toContainText("Live now: 1 access, 1 refresh");

    await page.getByRole("link", { name: "Revoke all for this client…" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Revoke all for ${registered.name}`);
    const preview = page.getByLabel("Will be revoked");
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: "test-results/admin-revoke-all-preview-phone.png", fullPage: true });
    await page.setViewportSize({ width: 1280, height: 720 });
    await expect(preview).toHaveText(/Consents\s*1\s*Refresh tokens\s*1\s*Live access tokens\s*1\s*Authorization codes\s*0/);
    await page.getByRole("button", { name: `Revoke all for ${registered.name}` }).click();
    await expect(page.getByRole("status").filter({ hasText: "Revoked" }).first()).toContainText(
      "Revoked 1 consent, 1 refresh token, 1 access token and 0 authorization codes.",
    );
    await expect(page.getByLabel("Revoked", { exact: true })).toHaveText(/Consents\s*1\s*Refresh tokens\s*1\s*Live access tokens\s*1\s*Authorization codes\s*0/);

    await page.screenshot({ path: "test-results/admin-revoke-all-report.png", fullPage: true });

    await expectInvalidTokenChallenge(rp.userinfo(tokens.access_token, sub));
    await expectOAuthError(rp.refresh(refreshToken), "invalid_grant");

    await page.goto(`/admin/audit?type=grants.revoked_all&client=${encodeURIComponent(registered.clientId)}`);
    const ev = page.getByRole("list", { name: "Audit events" }).getByRole("listitem");
    await expect(ev).toHaveCount(1);
    await expect(ev.first().locator("pre")).toContainText('"accessTokens": 1');

    // Nothing this flow wrote to the audit log holds a token, a secret or a password.
    const secrets = [tokens.access_token, refreshToken, tokens.id_token!, registered.clientSecret!, user.password, ADMIN.password];
    const events = await allAuditEventText();
    expect(events.length).toBeGreaterThan(5);
    for (const e of events) for (const s of secrets) expect(e.includes(s), `an audit event contains a secret: ${e}`).toBe(false);
    await userContext.close();
  });

  test("a suspended client gets 401 invalid_client for client_credentials at once; resumed, it works again", async ({ page }) => {
    const name = `E2E service ${Date.now().toString(36)}`;
    const registered = await registerServiceClient(name, callbacks.redirectUri);
    const rp = await RelyingParty.discover(registered);
    expect((await client.clientCredentialsGrant(rp.config)).access_token).toBeTruthy();

    await signInAsAdmin(page);
    await page.goto(`/admin/clients?q=${encodeURIComponent(name)}`);
    const row = page.getByRole("list", { name: "Clients" }).getByRole("listitem");
    await expect(row).toHaveCount(1);
    await expect(row).toContainText("1 access token in the last 24 h");
    await page.getByRole("button", { name: `Suspend ${name}` }).click();
    await expect(row.getByTestId("confirm-step")).toContainText(`Suspend ${name}? From now on it cannot sign anyone in or get tokens`);
    // Cancel: nothing changes, and the focus returns to the button.
    await row.getByRole("button", { name: "Cancel" }).click();
    await expect(page.getByRole("button", { name: `Suspend ${name}` })).toBeFocused();
    expect((await client.clientCredentialsGrant(rp.config)).access_token).toBeTruthy();
    await page.getByRole("button", { name: `Suspend ${name}` }).click();
    await row.getByRole("button", { name: "Yes, suspend" }).click();
    await expect(row).toContainText("suspended");

    await expectInvalidClient(client.clientCredentialsGrant(rp.config));

    await page.getByRole("button", { name: `Resume ${name}` }).click();
    await expect(page.getByRole("button", { name: `Suspend ${name}` })).toBeVisible();
    expect((await client.clientCredentialsGrant(rp.config)).access_token).toBeTruthy();
  });

  test("a non-admin gets a 404 for every admin page, and every admin action replayed by them changes nothing", async ({ page, browser }) => {
    test.setTimeout(120_000);
    // Targets: a user with a grant to a client, so that every action has something real to act on.
    const target = await createUser({ prefix: "target" });
    const registered = await registerClient("confidential", callbacks.redirectUri);
    const rp = await RelyingParty.discover(registered);
    const flowContext = await browser.newContext();
    await obtainTokens(await flowContext.newPage(), rp, callbacks, target);
    await flowContext.close();

    const outsiders: TestUser[] = [await createUser({ prefix: "plain" }), await createUser({ prefix: "dev", role: "developer" })];
    const signedIn: { who: TestUser; context: BrowserContext; page: Page }[] = [];
    for (const who of outsiders) signedIn.push({ who, ...(await newSignedInContext(browser, who)) });
    const anonymous = await browser.newContext();

    // As admin: find the client's row id, then record each action without running it.
    await signInAsAdmin(page);
    await page.goto(`/admin/clients?q=${encodeURIComponent(registered.name)}`);
    const deleteHref = await page.getByRole("link", { name: `Delete ${registered.name}` }).getAttribute("href");
    const clientRowId = /\/admin\/clients\/([^/]+)\/delete/.exec(deleteHref ?? "")![1]!;
    const ids = { userId: target.id, clientRowId, clientId: registered.clientId };

    const actions: [string, RecordedAction][] = [];
    const record = async (name: string, url: string, click: (p: Page) => Promise<void>, confirmYes?: string) => {
      await page.goto(url);
      if (confirmYes) {
        // The first press only asks; record the confirmed post, which is the one that acts.
        await click(page);
        const yes = page.getByRole("button", { name: confirmYes });
        actions.push([name, await recordAction(page, () => yes.click())]);
        return;
      }
      actions.push([name, await recordAction(page, () => click(page))]);
    };
    const userUrl = `/admin/users/${target.id}`;
    await record("disable user", userUrl, (p) => p.getByRole("button", { name: "Disable user" }).click(), "Yes, disable user");
    await record("change role to admin", userUrl, async (p) => {
      await p.getByLabel("Role", { exact: true }).selectOption("admin");
      await p.getByRole("button", { name: "Save role" }).click();
    });
    await record("force password reset", userUrl, (p) => p.getByRole("button", { name: "Force password reset" }).click(), "Yes, reset password");
    await record("revoke one grant", userUrl, (p) => p.getByRole("button", { name: `Revoke ${registered.name}` }).click(), "Yes, revoke");
    await record(
      "suspend client",
      `/admin/clients?q=${encodeURIComponent(registered.name)}`,
      (p) => p.getByRole("button", { name: `Suspend ${registered.name}` }).click(),
      "Yes, suspend",
    );
    await record("revoke all for client", `/admin/grants/revoke-all?client=${registered.clientId}`, (p) =>
      p.getByRole("button", { name: `Revoke all for ${registered.name}` }).click(),
    );
    await record("delete client", `/admin/clients/${clientRowId}/delete`, async (p) => {
      await p.getByLabel("Type the client's name to confirm").fill(registered.name);
      await p.getByRole("button", { name: "Delete client" }).click();
    });
    await record("rotate keys", "/admin/keys", (p) => p.getByRole("button", { name: "Rotate keys" }).click());
    await record("retire key", "/admin/keys", (p) => p.getByRole("button", { name: /^Retire key / }).first().click(), "Yes, retire key");
    const eventsBefore = new Set(await allAuditEventText());
    const keysBefore = await page.goto("/admin/keys").then(() => page.getByRole("list", { name: "Signing keys" }).innerText());

    // Every admin page: 404 for a user, a developer and someone signed out. The first in a browser
    // (the not-found page is what they see); the others by HTTP with the same cookies, which is
    // cheaper and reads the whole document, the page's data included, not only the rendered text.
    for (const ctx of [...signedIn.map((s) => s.context), anonymous]) {
      const [first, ...rest] = adminPageUrls(ids);
      const p = await ctx.newPage();
      const res = await p.goto(first!);
      expect(res?.status(), `${first} as a non-admin`).toBe(404);
      await expect(p.getByRole("heading", { name: "Page not found" })).toBeVisible();
      await expect(p.locator("body")).not.toContainText(target.email);
      await p.close();
      for (const url of rest) {
        const r = await ctx.request.get(url, { maxRedirects: 0 });
        expect(r.status(), `${url} as a non-admin`).toBe(404);
        const html = await r.text();
        expect(html, `${url} as a non-admin`).toContain("Page not found");
        for (const secret of [target.email, registered.name]) expect(html.includes(secret), `${url} shows ${secret}`).toBe(false);
      }
    }

    // Every admin action, replayed: refused (404) for each of them.
    for (const ctx of [...signedIn.map((s) => s.context), anonymous]) {
      for (const [name, action] of actions) {
        const res = await replayAction(ctx, action);
        expect(res.status(), `${name} replayed by a non-admin`).toBe(404);
      }
    }

    // Nothing changed: no audit event about the target, its grant or client, or the keys, and none
    // by an outsider (tests in the other worker write their own meanwhile; only this file, which
    // runs in one worker in order, writes key events); the target untouched, the grant and client
    // and keys as they were.
    const ours = [target.id, target.email, registered.clientId, clientRowId, ...outsiders.map((o) => o.id)];
    const written = (await allAuditEventText())
      .filter((row) => !eventsBefore.has(row))
      .filter((row) => ours.some((id) => row.includes(id)) || (JSON.parse(row) as { type: string }).type.startsWith("key."));
    expect(written, "audit events written by the replays").toEqual([]);
    const targetPage = await AdminUserPage.goto(page, target.id);
    expect(await targetPage.badges()).toEqual(["user"]);
    await expect(page.getByRole("button", { name: `Revoke ${registered.name}` })).toBeVisible();
    await page.goto(`/admin/clients?q=${encodeURIComponent(registered.name)}`);
    await expect(page.getByRole("list", { name: "Clients" }).getByRole("listitem")).not.toContainText("suspended");
    await page.goto("/admin/keys");
    expect(await page.getByRole("list", { name: "Signing keys" }).innerText()).toBe(keysBefore);

    // The same recorded request from the admin's own browser does work: the replay is real.
    const [, disable] = actions[0]!;
    const res = await replayAction(page.context(), disable);
    expect(res.status()).toBe(200);
    const after = await AdminUserPage.goto(page, target.id);
    expect(await after.badges()).toEqual(["user", "disabled"]);

    for (const s of signedIn) await s.context.close();
    await anonymous.close();
  });

  test("rotating keys retires the old ones but keeps them in the JWKS; the last active key cannot be retired", async ({ page, request }) => {
    const jwks = async () => ((await (await request.get("/.well-known/jwks.json")).json()) as { keys: { kid: string }[] }).keys.map((k) => k.kid);
    await signInAsAdmin(page);
    await page.goto("/admin/keys");
    const keys = page.getByRole("list", { name: "Signing keys" }).getByRole("listitem");
    const isActive = { has: page.getByText("active", { exact: true }) };
    const activeBefore = await keys.filter(isActive).locator("p.font-mono").allInnerTexts();
    expect(activeBefore).toHaveLength(2); // one ES256, one RS256
    const published = await jwks();
    for (const kid of activeBefore) expect(published).toContain(kid);

    await page.getByRole("button", { name: "Rotate keys" }).click();
    await expect(page.getByRole("status").filter({ hasText: "New active keys" })).toBeVisible();
    for (const kid of activeBefore) {
      await expect(keys.filter({ hasText: kid })).toContainText("retired");
      expect(await jwks(), "a retired key stays published").toContain(kid);
    }
    const activeAfter = await keys.filter(isActive).locator("p.font-mono").allInnerTexts();
    expect(activeAfter).toHaveLength(2);
    expect(activeAfter.some((k) => activeBefore.includes(k))).toBe(false);

    // One active key per algorithm now: retiring it would leave none, so it is refused.
    await page.getByRole("button", { name: `Retire key ${activeAfter[0]}` }).click();
    await page.getByRole("button", { name: "Yes, retire key" }).click();
    await expect(alerts(page)).toHaveText(
      "This is the only active key for its algorithm: rotate first, so that there is always a signing key.",
    );
    await page.screenshot({ path: "test-results/admin-keys.png", fullPage: true });
    await page.reload();
    await expect(keys.filter({ hasText: activeAfter[0]! }).getByText("active", { exact: true })).toBeVisible();
  });

  test("screenshots: the users page and the audit log on a phone and a desktop", async ({ page }) => {
    await signInAsAdmin(page);
    for (const [label, size] of [["phone", { width: 390, height: 844 }], ["desktop", { width: 1280, height: 900 }]] as const) {
      await page.setViewportSize(size);
      await page.goto("/admin/users");
      await expect(page.getByRole("list", { name: "Users" })).toBeVisible();
      await page.screenshot({ path: `test-results/admin-users-${label}.png`, fullPage: true });
      await page.goto("/admin/audit");
      await expect(page.getByRole("list", { name: "Audit events" })).toBeVisible();
      await page.screenshot({ path: `test-results/admin-audit-${label}.png`, fullPage: true });
      await page.screenshot({ path: `test-results/admin-audit-${label}-first-screen.png` });
      await new AdminUsersPage(page).open("admin@e2e.test");
      await page.screenshot({ path: `test-results/admin-user-${label}.png`, fullPage: true });
      for (const section of ["clients", "grants"]) {
        await page.goto(`/admin/${section}`);
        await page.screenshot({ path: `test-results/admin-${section}-${label}.png` });
      }
    }
  });
});
