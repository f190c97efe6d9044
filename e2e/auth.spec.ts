import type { Browser, BrowserContext, Page } from "@playwright/test";
import { ADMIN, BASE_URL, THROTTLE } from "./env";
import {
  AccountPage,
  MESSAGES,
  SignInPage,
  createUser,
  disableUser,
  expect,
  linkTo,
  strongPassword,
  test,
  uniqueEmail,
  waitForMail,
} from "./support";

/** Absolute URL on the portal under test, for exact URL assertions. */
const at = (pathAndQuery: string): string => `${BASE_URL}${pathAndQuery}`;

/** Where a signed-out visit to /account must land. */
const SIGN_IN_FOR_ACCOUNT = at("/signin?callbackUrl=%2Faccount");

/** Asserts the page is the sign-in page asking to come back to /account afterwards. */
async function expectSentToSignInForAccount(page: Page): Promise<void> {
  await expect(page).toHaveURL(
    (url) =>
      url.origin === BASE_URL &&
      url.pathname === "/signin" &&
      url.searchParams.get("callbackUrl") === "/account",
  );
  await expect(new SignInPage(page).submit).toBeVisible();
}

/** Visits /account in a brand-new browser context holding only `cookies`. */
async function visitAccountWithCookies(
  browser: Browser,
  cookies: Awaited<ReturnType<BrowserContext["cookies"]>>,
): Promise<Page> {
  const context = await browser.newContext({ baseURL: BASE_URL });
  await context.addCookies(cookies);
  const page = await context.newPage();
  await page.goto("/account");
  return page;
}

test.describe("sign-up", () => {
  test("creates the account and says to check email; the verification link confirms the address; the user signs in", async ({ page, signUpPage }) => {
    const email = uniqueEmail("signup");
    const password = strongPassword();
    await signUpPage.goto();
    await signUpPage.signUp("New Person", email, password);
    await expect(page.getByRole("status").filter({ hasText: "Check your email" })).toContainText(email);

    const mail = await waitForMail(email, "Confirm your email address for Latchkey");
    await page.goto(linkTo(mail, "/verify-email"));
    await expect(page).toHaveURL((u) => u.pathname === "/verify-email" && u.search === "");
    await page.getByRole("button", { name: "Confirm my address" }).click();
    await expect(page).toHaveURL((u) => u.pathname === "/signin");
    await expect(page.getByText("Your email address is confirmed.")).toBeVisible();
    const signIn = new SignInPage(page);
    await signIn.goto("/account");
    await signIn.signIn(email, password);
    await new AccountPage(page).expectSignedInAs(email);
    await expect(page.getByText("verified", { exact: true })).toBeVisible();
  });

  test("an email already registered gets the same answer, its owner an email; that account is untouched", async ({
    page,
    signUpPage,
    signInPage,
    accountPage,
    user,
  }) => {
    const otherPassword = strongPassword();
    await signUpPage.goto();
    await signUpPage.signUp("Impostor", user.email, otherPassword);
    await expect(page.getByRole("status").filter({ hasText: "Check your email" })).toContainText(user.email);
    const mail = await waitForMail(user.email, "Someone tried to create a Latchkey account with your address");
    expect(mail.links.map((l) => new URL(l).pathname)).toEqual(["/signin", "/forgot-password"]);

    // Not signed in by the failed attempt...
    await accountPage.goto();
    await expectSentToSignInForAccount(page);
    // ...and the existing account keeps its password.
    expect(await signInPage.refusedAttempt(user.email, otherPassword)).toBe(MESSAGES.badCredentials);
    await signInPage.goto();
    await signInPage.signIn(user.email, user.password);
    await expect(page).toHaveURL(at("/account"));
  });
});

test.describe("sign-in", () => {
  test("with the right password lands on /account showing the user", async ({ page, signInPage, user }) => {
    await signInPage.goto();
    await signInPage.signIn(user.email, user.password);

    await expect(page).toHaveURL(at("/account"));
    await new AccountPage(page).expectSignedInAs(user.email);
  });

  test("the bootstrap admin from ADMIN_EMAIL/ADMIN_PASSWORD can sign in", async ({ page, signInPage }) => {
    await signInPage.goto();
    await signInPage.signIn(ADMIN.email, ADMIN.password);

    await expect(page).toHaveURL(at("/account"));
    await new AccountPage(page).expectSignedInAs(ADMIN.email);
  });

  test("/account sends a signed-out visitor to sign-in and back", async ({ page, signInPage, user }) => {
    await page.goto("/account");
    await expect(page).toHaveURL(SIGN_IN_FOR_ACCOUNT);

    await signInPage.signIn(user.email, user.password);
    await expect(page).toHaveURL(at("/account"));
  });

  test("wrong password and unknown email get the same generic message", async ({ page, signInPage, user }) => {
    await signInPage.goto();
    await signInPage.signIn(user.email, `${user.password}x`);
    await expect(signInPage.alert).toHaveText(MESSAGES.badCredentials);
    await expect(page).toHaveURL((url) => url.pathname === "/signin");

    await signInPage.goto();
    await signInPage.signIn(uniqueEmail("nobody"), strongPassword());
    await expect(signInPage.alert).toHaveText(MESSAGES.badCredentials);
    await expect(page).toHaveURL((url) => url.pathname === "/signin");
  });

  test("slows down, then locks the account, refusing even the right password", async ({
    page,
    signInPage,
    accountPage,
    user,
  }) => {
    test.setTimeout(90_000);
    const wrong = `${user.password}-wrong`;

    // The first LOGIN_SLOW_AFTER failures are answered normally.
    for (let i = 1; i <= THROTTLE.slowAfter; i++) {
      expect(await signInPage.refusedAttempt(user.email, wrong), `failure ${i}`).toBe(MESSAGES.badCredentials);
    }

    // Straight away, on the same page, another attempt is told to wait.
    await signInPage.signIn(user.email, wrong);
    await expect(signInPage.alert).toContainText(MESSAGES.slowDown);
    // The contract says the message mentions "seconds"; the first delay is 1 s, which the
    // app words as "1 second", so accept the singular: what matters is a number of seconds.
    await expect(signInPage.alert).toContainText(/\b\d+ seconds?\b/);
    await expect(page).toHaveURL((url) => url.pathname === "/signin");

    // Waiting out each delay (1 s, 2 s, ...), the password is checked again, until
    // LOGIN_LOCK_AFTER failures. A slowed-down attempt is refused unchecked: not a failure.
    for (let failure = THROTTLE.slowAfter + 1; failure < THROTTLE.lockAfter; failure++) {
      expect(await signInPage.refusedAttemptAfterSlowDown(user.email, wrong), `failure ${failure}`).toBe(
        MESSAGES.badCredentials,
      );
    }
    // The failure that reaches LOGIN_LOCK_AFTER may itself already report the lock.
    expect(await signInPage.refusedAttemptAfterSlowDown(user.email, wrong), `failure ${THROTTLE.lockAfter}`).toMatch(
      new RegExp(`^Email or password is incorrect\\.$|${MESSAGES.locked.source}`),
    );

    // Now locked, with no further delay to wait out.
    const locked = await signInPage.refusedAttemptAfterSlowDown(user.email, wrong);
    expect(locked).toMatch(MESSAGES.locked);
    expect(locked).toContain("Try again in");

    // Even the right password is refused while locked.
    const withRightPassword = await signInPage.refusedAttemptAfterSlowDown(user.email, user.password);
    expect(withRightPassword).toMatch(MESSAGES.locked);
    expect(withRightPassword).toContain("Try again in");
    await accountPage.goto();
    await expectSentToSignInForAccount(page);
  });
});

test.describe("sign-out", () => {
  test("ends the session: /account asks for sign-in again", async ({ page, signInPage, accountPage, user }) => {
    await signInPage.goto();
    await signInPage.signIn(user.email, user.password);
    await accountPage.expectSignedInAs(user.email);

    await accountPage.signOut();
    await expect(page).toHaveURL((url) => url.origin === BASE_URL && ["/signin", "/"].includes(url.pathname));

    await accountPage.goto();
    await expect(page).toHaveURL(SIGN_IN_FOR_ACCOUNT);
  });

  test("revokes the session on the server: its old cookies no longer work", async ({
    browser,
    page,
    signInPage,
    accountPage,
    user,
  }) => {
    await signInPage.goto();
    await signInPage.signIn(user.email, user.password);
    await accountPage.expectSignedInAs(user.email);
    const cookies = await page.context().cookies();

    // Sanity check: those cookies are what carries the session.
    const copy = await visitAccountWithCookies(browser, cookies);
    await new AccountPage(copy).expectSignedInAs(user.email);
    await copy.context().close();

    await accountPage.signOut();
    await expect(page).toHaveURL((url) => ["/signin", "/"].includes(url.pathname));

    const replay = await visitAccountWithCookies(browser, cookies);
    await expectSentToSignInForAccount(replay);
    await replay.context().close();
  });
});

test.describe("callbackUrl", () => {
  for (const callbackUrl of ["https://evil.example/", "//evil.example", "/\\evil.example"]) {
    test(`ignores the off-site target ${JSON.stringify(callbackUrl)} and lands on /account`, async ({
      page,
      signInPage,
      user,
    }) => {
      const offsite: string[] = [];
      await page.context().route(
        (url) => url.hostname === "evil.example",
        async (route) => {
          offsite.push(route.request().url());
          await route.fulfill({ status: 200, contentType: "text/html", body: "<h1>evil</h1>" });
        },
      );

      await signInPage.goto(callbackUrl);
      await signInPage.signIn(user.email, user.password);

      await expect(page).toHaveURL(at("/account"));
      await new AccountPage(page).expectSignedInAs(user.email);
      expect(offsite, "requests to evil.example").toEqual([]);
    });
  }

  test("follows a path on this site", async ({ page, signInPage, user }) => {
    await signInPage.goto("/account?tab=x");
    await signInPage.signIn(user.email, user.password);

    await expect(page).toHaveURL(at("/account?tab=x"));
    await new AccountPage(page).expectSignedInAs(user.email);
  });
});

test("disabling a signed-in user through the CLI ends their session at once", async ({
  page,
  signInPage,
  accountPage,
  user,
}) => {
  await signInPage.goto();
  await signInPage.signIn(user.email, user.password);
  await accountPage.expectSignedInAs(user.email);

  await disableUser(user.email);

  await accountPage.goto();
  await expectSentToSignInForAccount(page);

  // Nor can they sign in again.
  await signInPage.signIn(user.email, user.password);
  await expect(signInPage.alert).toBeVisible();
  await expect(page).toHaveURL((url) => url.pathname === "/signin");
});

test.describe("framing protection", () => {
  for (const path of ["/signin", "/signup"]) {
    test(`${path} forbids framing`, async ({ request }) => {
      const response = await request.get(path);
      expect(response.status()).toBe(200);
      const headers = response.headers();
      expect(headers["x-frame-options"]).toBe("DENY");
      expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
    });
  }
});

test("an account created through the CLI with another role can sign in too", async ({ page, signInPage }) => {
  const developer = await createUser({ prefix: "developer", role: "developer" });
  await signInPage.goto();
  await signInPage.signIn(developer.email, developer.password);
  await new AccountPage(page).expectSignedInAs(developer.email);
});
