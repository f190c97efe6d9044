// Emailed links with JavaScript off (every form a plain POST): forgot password through the mail
// that arrived, sign-up's verification link, an admin's invitation, and an admin unlocking a
// locked account.
import { BASE_URL } from "./env";
import { MESSAGES, SignInPage, SignUpPage, createUser, expect, linkTo, strongPassword, test, uniqueEmail, waitForMail } from "./support";
import { AdminUserPage, signInAsAdmin } from "./support/admin";
import { askForResetLink, CHECK_EMAIL, resetLinkFor, setPasswordThroughLink, signedInElsewhere, signInFresh } from "./support/recovery";

test("forgot password without JavaScript: same answer for anyone, the link sets the password, old sessions end", async ({ page, browser, user }) => {
  const elsewhere = await signedInElsewhere(browser, user, false);
  const answer = await askForResetLink(page, user.email);
  expect(answer).toMatch(CHECK_EMAIL);
  expect(await askForResetLink(page, uniqueEmail("nobody-nojs"))).toBe(answer);

  const password = strongPassword();
  await setPasswordThroughLink(page, await resetLinkFor(user.email), password, /Your password was changed/);
  await elsewhere.goto("/account");
  await expect(elsewhere).toHaveURL((u) => u.pathname === "/signin");
  await elsewhere.context().close();
  expect(await new SignInPage(page).refusedAttempt(user.email, user.password)).toBe(MESSAGES.badCredentials);
  await signInFresh(page, user.email, password);
});

test("sign-up without JavaScript: check your email, the verification link confirms the address, then sign in", async ({ page }) => {
  const email = uniqueEmail("nojs-verify");
  const password = strongPassword();
  const signUp = new SignUpPage(page);
  await signUp.goto();
  await signUp.signUp("Vera Verify", email, password);
  await expect(page.getByRole("status").filter({ hasText: "Check your email" })).toBeVisible();

  const mail = await waitForMail(email, "Confirm your email address for Latchkey");
  const res = await page.goto(linkTo(mail, "/verify-email"));
  expect(res?.status()).toBe(200);
  await page.getByRole("button", { name: "Confirm my address" }).click();
  await expect(page).toHaveURL((u) => u.pathname === "/signin");
  await expect(page.getByRole("status").filter({ hasText: "Your email address is confirmed." })).toBeVisible();
  await signInFresh(page, email, password);
  await expect(page.getByText("verified", { exact: true })).toBeVisible();
});

test("an admin invites a user without JavaScript; the invitation's link sets the password", async ({ page, browser }) => {
  const email = uniqueEmail("invited-nojs");
  await signInAsAdmin(page);
  await page.goto("/admin/users");
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByRole("button", { name: "Send invitation" }).click();
  await expect(page.getByText(`Invitation sent to ${email}.`)).toBeVisible();
  const mail = await waitForMail(email, "You are invited to Latchkey");
  const ctx = await browser.newContext({ baseURL: BASE_URL, javaScriptEnabled: false });
  const invited = await ctx.newPage();
  const password = strongPassword();
  await setPasswordThroughLink(invited, linkTo(mail, "/reset-password"), password, /Your password is set/);
  await signInFresh(invited, email, password);
  await ctx.close();
});

test("an admin unlocks a locked account without JavaScript", async ({ page, browser }) => {
  test.setTimeout(90_000);
  const user = await createUser({ prefix: "unlock-nojs" });
  const ctx = await browser.newContext({ baseURL: BASE_URL, javaScriptEnabled: false });
  const stranger = new SignInPage(await ctx.newPage());
  for (let i = 0; ; i++) {
    const text = await stranger.refusedAttemptAfterSlowDown(user.email, `wrong-${i}`);
    if (MESSAGES.locked.test(text)) break;
    expect(i).toBeLessThan(10);
  }
  await signInAsAdmin(page);
  await AdminUserPage.goto(page, user.id);
  const signInRow = page.locator("dt", { hasText: "Sign-in" }).locator("xpath=following-sibling::dd[1]");
  await expect(signInRow).toContainText("Locked until");
  await page.getByRole("button", { name: "Unlock sign-in", exact: true }).click();
  await expect(page.getByText("Unlocked. They can sign in again now.")).toBeVisible();
  await AdminUserPage.goto(page, user.id);
  await expect(signInRow).toHaveText("Not locked");
  // The stranger's browser, which was locked out, now signs in with the right password.
  await signInFresh(stranger.page, user.email, user.password);
  await ctx.close();
});
