// Page objects for the account pages (/account, /account/apps, /account/sessions,
// /account/password), signing in a fresh browser context, and the one database write the UI
// offers no other way to make in a test: an admin's "must reset password" flag.
import Database from "better-sqlite3";
import pg from "pg";
import { expect, type Browser, type BrowserContext, type Locator, type Page } from "@playwright/test";
import { BASE_URL, serverEnv } from "../env";
import { databaseProvider, databaseUrl } from "../../lib/config/database-url";
import { SignInPage, alerts } from "./pages";
import type { TestUser } from "./users";

/** Signs `user` in on `page` (fresh /signin) and waits for the account page. */
export async function signIn(page: Page, user: TestUser, password = user.password): Promise<void> {
  const signInPage = new SignInPage(page);
  await signInPage.goto("/account");
  await signInPage.signIn(user.email, password);
  await expect(page).toHaveURL((u) => u.pathname === "/account");
}

/** A second browser (its own cookies), signed in as `user`. */
export async function signedInContext(browser: Browser, user: TestUser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: BASE_URL });
  const page = await context.newPage();
  await signIn(page, user);
  return { context, page };
}

/** Asserts that loading `path` on `page` ends on the sign-in page (the session is over). */
export async function expectSignedOut(page: Page, path = "/account"): Promise<void> {
  await page.goto(path);
  await expect(page).toHaveURL((u) => u.pathname === "/signin" && u.searchParams.get("callbackUrl") === path);
  await expect(page.getByRole("button", { name: "Sign in", exact: true })).toBeVisible();
}

export class ConnectedAppsPage {
  readonly heading: Locator;
  readonly list: Locator;
  /** One per app (the list's own items, not the scope lists inside them). */
  readonly items: Locator;
  readonly alert: Locator;
  readonly status: Locator;
  readonly emptyState: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole("heading", { level: 1, name: "Connected apps", exact: true });
    this.list = page.getByRole("list", { name: "Connected apps", exact: true });
    this.items = this.list.locator(":scope > li");
    this.alert = alerts(page);
    this.status = page.getByRole("status").filter({ hasText: /\S/ });
    this.emptyState = page.getByText("No apps connected yet", { exact: true });
  }

  async goto(): Promise<void> {
    await this.page.goto("/account/apps");
    await expect(this.heading).toBeVisible();
  }

  /** The list item of the app called `name`. */
  app(name: string): Locator {
    return this.items.filter({ has: this.page.getByRole("heading", { name, exact: true }) });
  }

  /** Revoke access, then confirm. */
  async revoke(name: string): Promise<void> {
    const item = this.app(name);
    await item.getByRole("button", { name: "Revoke access", exact: true }).click();
    await item.getByRole("button", { name: "Yes, revoke access", exact: true }).click();
  }
}

export class SessionsPage {
  readonly heading: Locator;
  readonly items: Locator;
  readonly signOutOthers: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole("heading", { level: 1, name: "Sessions", exact: true });
    this.items = page.getByRole("list", { name: "Sessions", exact: true }).locator(":scope > li");
    this.signOutOthers = page.getByRole("button", { name: "Sign out all other sessions", exact: true });
  }

  async goto(): Promise<void> {
    await this.page.goto("/account/sessions");
    await expect(this.heading).toBeVisible();
  }

  get thisBrowser(): Locator {
    return this.items.filter({ hasText: "This browser" });
  }

  get others(): Locator {
    return this.items.filter({ hasNotText: "This browser" });
  }
}

export class PasswordPage {
  readonly current: Locator;
  readonly next: Locator;
  readonly submit: Locator;

  constructor(readonly page: Page) {
    this.current = page.getByLabel("Current password", { exact: true });
    this.next = page.getByLabel("New password", { exact: true });
    this.submit = page.getByRole("button", { name: "Change password", exact: true });
  }

  async goto(): Promise<void> {
    await this.page.goto("/account/password");
    await expect(this.submit).toBeVisible();
  }

  async change(current: string, next: string): Promise<void> {
    await this.current.fill(current);
    await this.next.fill(next);
    await this.submit.click();
  }
}

/**
 * Sets User.mustResetPassword as an admin would, straight in the database the server under test
 * uses (SQLite under DATA_DIR, or E2E_DATABASE_URL).
 */
export async function flagPasswordReset(userId: string): Promise<void> {
  const url = databaseUrl({ ...process.env, ...serverEnv() });
  let changed: number;
  if (databaseProvider(url) === "sqlite") {
    const db = new Database(url.slice("file:".length), { timeout: 5000 });
    try {
      changed = db.prepare('UPDATE "User" SET "mustResetPassword" = 1 WHERE "id" = ?').run(userId).changes;
    } finally {
      db.close();
    }
  } else {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      changed = (await client.query('UPDATE "User" SET "mustResetPassword" = true WHERE "id" = $1', [userId])).rowCount ?? 0;
    } finally {
      await client.end();
    }
  }
  if (changed !== 1) throw new Error(`no user ${userId} to flag for a password reset`);
}
