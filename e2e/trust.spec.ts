// What the end user is shown about an app, and the page policies, in Chromium: the consent
// screen tells verified clients from unverified ones (an admin marks them), shows the home page
// and names no invented owner; every page keeps to its Content-Security-Policy (nonces): no
// violation is reported on sign-in, consent, dashboard and admin pages, and the consent "Allow"
// still reaches the client's redirect URI.
import type { Page } from "@playwright/test";
import Database from "better-sqlite3";
import pg from "pg";
import path from "node:path";
import { DATABASE_URL, DATA_DIR } from "./env";
import { createUser, expect, test } from "./support";
import { signInAs, signInAsAdmin } from "./support/admin";
import { CallbackServer, ConsentPage, RelyingParty, expectCodeCallback, registerClient, signInForAuthorization } from "./support/oauth";

/** Runs one statement on the database the server under test uses. */
async function execute(sql: string, params: unknown[]): Promise<void> {
  if (DATABASE_URL.startsWith("postgres")) {
    const c = new pg.Client({ connectionString: DATABASE_URL });
    await c.connect();
    try {
      await c.query(sql.replace(/\?/g, (() => { let i = 0; return () => `$${++i}`; })()), params);
    } finally {
      await c.end();
    }
    return;
  }
  const file = DATABASE_URL.startsWith("file:") ? DATABASE_URL.slice(5) : path.join(DATA_DIR, "latchkey.db");
  const db = new Database(file, { fileMustExist: true });
  try {
    db.prepare(sql).run(...params);
  } finally {
    db.close();
  }
}

/** Collects CSP violations (securitypolicyviolation events and console reports) on `page`. */
async function watchCsp(page: Page): Promise<string[]> {
  const violations: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(`console: ${m.text()}`);
  });
  await page.exposeFunction("__cspViolation", (s: string) => violations.push(s));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      (window as unknown as { __cspViolation(s: string): void }).__cspViolation(`${e.violatedDirective} ${e.blockedURI} ${location.pathname}`);
    });
  });
  return violations;
}

/** Next's client runtime ran (it sets window.next): the nonce'd scripts were allowed. */
async function expectHydrated(page: Page): Promise<void> {
  await expect.poll(() => page.evaluate(() => typeof (window as unknown as { next?: unknown }).next === "object")).toBe(true);
}

// These checks watch scripts run (hydration, securitypolicyviolation events), so they are skipped
// in a project that turns JavaScript off. No project runs this file so today (chromium-nojs only
// matches *.nojs.spec.ts); the skip keeps it correct if one ever does.
test.skip(({ javaScriptEnabled }) => javaScriptEnabled === false, "watches scripts run under the CSP");

test.describe("consent screen: verified or not, home page, owner", () => {
  let callbacks: CallbackServer;
  test.beforeAll(async () => {
    callbacks = await CallbackServer.start();
  });
  test.afterAll(async () => {
    await callbacks?.close();
  });

  test("a CLI client is verified; an admin marks it unverified and users get the warning; the home page links out", async ({ page, browser }) => {
    // Two browsers, two sign-ins and three authorization requests: more than the default 30 s on a busy machine.
    test.slow();
    const violations = await watchCsp(page);
    const registered = await registerClient("confidential", callbacks.redirectUri);
    await execute('UPDATE "Client" SET "homepageUrl" = ? WHERE "clientId" = ?', ["https://app.example.com/about", registered.clientId]);
    const rp = await RelyingParty.discover(registered);
    const user = await createUser({ prefix: "trust" });

    await page.goto((await rp.authorizationRequest()).url.href);
    await signInForAuthorization(page, user);
    const consent = new ConsentPage(page);
    await consent.expectFor(registered);
    await expectHydrated(page);
    await expect(page.getByText("Verified by Latchkey")).toBeVisible();
    await expect(page.getByTestId("unverified-warning")).toHaveCount(0);
    // No owner (the CLI gave none): no "Registered by" line at all, never an invented one.
    await expect(page.getByText(/Registered by/)).toHaveCount(0);
    const home = page.getByRole("link", { name: "app.example.com" });
    await expect(home).toHaveAttribute("href", "https://app.example.com/about");
    await expect(home).toHaveAttribute("rel", "noopener noreferrer");

    // The admin marks it unverified in the console.
    const admin = await browser.newPage();
    await signInAsAdmin(admin);
    await admin.goto(`/admin/clients?q=${encodeURIComponent(registered.name)}`);
    await admin.getByRole("button", { name: `Mark ${registered.name} unverified` }).click();
    await expect(admin.getByRole("button", { name: `Mark ${registered.name} verified` })).toBeVisible();
    await admin.close();

    // A new request (the client cache holds a client for at most 1 s): the warning, no badge.
    await expect
      .poll(async () => {
        await page.goto((await rp.authorizationRequest({ prompt: "consent" })).url.href);
        return page.getByTestId("unverified-warning").count();
      })
      .toBe(1);
    await expect(page.getByTestId("unverified-warning")).toContainText("Latchkey has not verified this app");
    await expect(page.getByText("Verified by Latchkey")).toHaveCount(0);

    // Allow still reaches the client under the page's CSP.
    const request = await rp.authorizationRequest({ prompt: "consent" });
    const callback = await callbacks.capture(page, async () => {
      await page.goto(request.url.href);
      await consent.allow.click();
    });
    expectCodeCallback(callback, request);
    expect(violations).toEqual([]);
  });

  test("a client of a developer names its owner and, unverified, carries the warning", async ({ page }) => {
    const dev = await createUser({ prefix: "trustdev", role: "developer" });
    const registered = await registerClient("public", callbacks.redirectUri);
    await execute('UPDATE "Client" SET "verified" = false, "ownerId" = (SELECT "id" FROM "User" WHERE "email" = ?) WHERE "clientId" = ?', [dev.email, registered.clientId]);
    const rp = await RelyingParty.discover(registered);
    const user = await createUser({ prefix: "trust" });
    await page.goto((await rp.authorizationRequest()).url.href);
    await signInForAuthorization(page, user);
    await new ConsentPage(page).expectFor(registered);
    await expect(page.getByText("Registered by E2E Test User")).toBeVisible();
    await expect(page.getByTestId("unverified-warning")).toBeVisible();
  });
});

test.describe("Content-Security-Policy in Chromium", () => {
  test("pages send a nonce policy and report no violation: sign-in, account, dashboard, admin", async ({ page }) => {
    const violations = await watchCsp(page);
    const res = await page.goto("/signin");
    const csp = res!.headers()["content-security-policy"];
    expect(csp).toMatch(/^script-src 'nonce-[A-Za-z0-9+/]+=*' 'strict-dynamic'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'$/);
    // The page's scripts carry that nonce (the browser hides it from getAttribute; .nonce has it).
    const nonce = /'nonce-([^']+)'/.exec(csp!)![1];
    expect(await page.evaluate(() => Array.from(document.scripts).every((s) => s.nonce !== ""))).toBe(true);
    expect(await page.evaluate(() => document.scripts[0]?.nonce)).toBe(nonce);
    await expectHydrated(page);

    const dev = await createUser({ prefix: "cspdev", role: "developer" });
    await signInAs(page, dev);
    for (const path of ["/account", "/dashboard/clients", "/dashboard/clients/new"]) {
      await page.goto(path);
      await expectHydrated(page);
    }
    await page.context().clearCookies();
    await signInAsAdmin(page);
    for (const path of ["/admin", "/admin/users", "/admin/clients", "/admin/audit", "/dashboard/registration-tokens"]) {
      await page.goto(path);
      await expectHydrated(page);
    }
    expect(violations).toEqual([]);
  });
});

test.describe("protocol error pages", () => {
  test("on a 360 px phone: the portal's look, no horizontal scroll with a long redirect_uri, the reason under 'Details for developers'", async ({ browser }) => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    const violations = await watchCsp(page);
    const registered = await registerClient("confidential", "https://app.example.com/cb");
    const long = `https://attacker.example/${"very-long-path-segment-".repeat(8)}?q=${"x".repeat(60)}`;
    const res = await page.goto(`/oauth/authorize?${new URLSearchParams({ client_id: registered.clientId, redirect_uri: long, response_type: "code", scope: "openid" })}`);
    expect(res!.status()).toBe(400);
    await expect(page.getByRole("heading", { level: 1, name: "Unregistered redirect address" })).toBeVisible();
    await expect(page.getByRole("link", { name: "Latchkey", exact: true })).toHaveAttribute("href", "/");
    // The inline style applied (allowed by its hash): the portal's background, system font.
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe("rgb(250, 250, 250)");
    // The details: closed, then opened from the keyboard; the long URI wraps inside the page.
    const summary = page.getByText("Details for developers");
    const reason = page.locator("details pre");
    await expect(reason).toBeHidden();
    await summary.focus();
    await page.keyboard.press("Enter");
    await expect(reason).toBeVisible();
    await expect(reason).toContainText(`redirect_uri "${long}" does not exactly match any of the 1 redirect URIs registered for client_id "${registered.clientId}"`);
    await expect(reason).not.toContainText("https://app.example.com/cb");
    const width = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
    expect(width.scroll).toBeLessThanOrEqual(width.client);
    expect(violations).toEqual([]);
    await context.close();
  });
});
