// The admin's "Require verified email to sign in", end to end: an unverified account's right
// password is refused with a message that a new link was sent (and the link arrives), a wrong
// password gets the usual answer (the refusal tells nothing to whoever does not know the
// password), and the newest link confirms the address, after which the same password signs in.
// (A *.serial spec: it changes what every sign-in reads, so it runs alone, after the others.)
import { BASE_URL } from "./env";
import { MESSAGES, SignInPage, SignUpPage, expect, linkTo, strongPassword, test, uniqueEmail, waitForMail } from "./support";
import { signInAsAdmin } from "./support/admin";
import { resetSettings, SettingsPage } from "./support/lifecycle";
import { signInFresh } from "./support/recovery";

test.beforeEach(resetSettings);
test.afterEach(resetSettings);

const VERIFY_SUBJECT = "Confirm your email address for Latchkey";

test("required verification: the right password of an unverified account gets a new link instead of a session; the link confirms, then it signs in", async ({ page, browser }) => {
  test.setTimeout(60_000);
  await signInAsAdmin(page);
  const settings = new SettingsPage(page);
  await settings.goto();
  await settings.requireVerified.check();
  await settings.save.click();
  await expect(settings.saved).toBeVisible();

  const ctx = await browser.newContext({ baseURL: BASE_URL });
  const visitor = await ctx.newPage();
  const email = uniqueEmail("must-verify");
  const password = strongPassword();
  const signUp = new SignUpPage(visitor);
  await signUp.goto();
  await signUp.signUp("Una Verified", email, password);
  await expect(visitor.getByRole("status").filter({ hasText: "Check your email" })).toBeVisible();
  await waitForMail(email, VERIFY_SUBJECT); // the sign-up's own link, left unused

  const signIn = new SignInPage(visitor);
  expect(await signIn.refusedAttempt(email, password)).toBe("Confirm your email address first: we sent a new link to it. Open it, then sign in again.");
  await expect(visitor).toHaveURL((u) => u.pathname === "/signin");
  const second = await waitForMail(email, VERIFY_SUBJECT, { nth: 2 });
  expect(await signIn.refusedAttempt(email, `${password}-wrong`)).toBe(MESSAGES.badCredentials);

  await visitor.goto(linkTo(second, "/verify-email"));
  await visitor.getByRole("button", { name: "Confirm my address" }).click();
  await expect(visitor.getByRole("status").filter({ hasText: "Your email address is confirmed." })).toBeVisible();
  await signInFresh(visitor, email, password);
  await ctx.close();
});
