import { expect, type Locator, type Page } from "@playwright/test";

export const MESSAGES = {
  /** The one answer to wrong password and unknown email alike (no account enumeration). */
  badCredentials: "Email or password is incorrect.",
  /** Slow-down after LOGIN_SLOW_AFTER failures: "Too many attempts ... N seconds". */
  slowDown: /Too many attempts/,
  /** Lockout after LOGIN_LOCK_AFTER failures: "Too many failed attempts ... Try again in ...". */
  locked: /Too many failed attempts/,
} as const;

/**
 * The page's alerts, minus Next.js's route announcer (an always-present, usually empty
 * role="alert" element in a shadow root that getByRole would otherwise also match) and minus
 * empty live regions waiting for a message.
 */
export function alerts(page: Page): Locator {
  return page
    .getByRole("alert")
    .and(page.locator(":not(#__next-route-announcer__)"))
    .filter({ hasText: /\S/ });
}

export class SignInPage {
  readonly email: Locator;
  readonly password: Locator;
  readonly submit: Locator;
  readonly alert: Locator;

  constructor(readonly page: Page) {
    this.email = page.getByLabel("Email", { exact: true });
    this.password = page.getByLabel("Password", { exact: true });
    this.submit = page.getByRole("button", { name: "Sign in", exact: true });
    this.alert = alerts(page);
  }

  /** Opens /signin, with `?callbackUrl=` (URL-encoded) when given. */
  async goto(callbackUrl?: string): Promise<void> {
    const query = callbackUrl === undefined ? "" : `?callbackUrl=${encodeURIComponent(callbackUrl)}`;
    await this.page.goto(`/signin${query}`);
    await expect(this.submit).toBeVisible();
  }

  /** Fills the form on the current page and submits it. Assert the outcome in the test. */
  async signIn(email: string, password: string): Promise<void> {
    await this.email.fill(email);
    await this.password.fill(password);
    await this.submit.click();
  }

  /**
   * One attempt that is expected to be refused: opens a fresh /signin (so the alert that
   * appears can only be this attempt's answer), submits, and returns the alert's text.
   */
  async refusedAttempt(email: string, password: string): Promise<string> {
    await this.goto();
    await this.signIn(email, password);
    await expect(this.alert).toBeVisible();
    await expect(this.page).toHaveURL((url) => url.pathname === "/signin");
    return (await this.alert.innerText()).trim();
  }

  /**
   * Like refusedAttempt, but while the answer is the slow-down message it waits as long as
   * the message says (falling back to 1 s) and tries again, up to `maxWaitMs` in total.
   * Returns the first answer that is not a slow-down.
   */
  async refusedAttemptAfterSlowDown(email: string, password: string, maxWaitMs = 30_000): Promise<string> {
    const deadline = Date.now() + maxWaitMs;
    for (;;) {
      const text = await this.refusedAttempt(email, password);
      if (!MESSAGES.slowDown.test(text)) return text;
      if (Date.now() > deadline) throw new Error(`still told to slow down after ${maxWaitMs} ms: "${text}"`);
      const seconds = Number(/(\d+)\s*seconds?/i.exec(text)?.[1] ?? "1");
      await this.page.waitForTimeout(Math.min(Math.max(seconds, 1), 30) * 1000 + 150);
    }
  }
}

export class SignUpPage {
  readonly name: Locator;
  readonly email: Locator;
  readonly password: Locator;
  readonly submit: Locator;
  readonly alert: Locator;

  constructor(readonly page: Page) {
    this.name = page.getByLabel("Name", { exact: true });
    this.email = page.getByLabel("Email", { exact: true });
    this.password = page.getByLabel("Password", { exact: true });
    this.submit = page.getByRole("button", { name: "Create account", exact: true });
    this.alert = alerts(page);
  }

  async goto(): Promise<void> {
    await this.page.goto("/signup");
    await expect(this.submit).toBeVisible();
  }

  async signUp(name: string, email: string, password: string): Promise<void> {
    await this.name.fill(name);
    await this.email.fill(email);
    await this.password.fill(password);
    await this.submit.click();
  }
}

export class AccountPage {
  readonly heading: Locator;
  readonly signOutButton: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole("heading", { level: 1, name: "Your account", exact: true });
    this.signOutButton = page.getByRole("button", { name: "Sign out", exact: true });
  }

  async goto(): Promise<void> {
    await this.page.goto("/account");
  }

  /** Asserts that this is the account page of `email`. */
  async expectSignedInAs(email: string): Promise<void> {
    await expect(this.page).toHaveURL((url) => url.pathname === "/account");
    await expect(this.heading).toBeVisible();
    await expect(this.page.getByText(email).first()).toBeVisible();
  }

  async signOut(): Promise<void> {
    await this.signOutButton.click();
  }
}
