// Emailed links with JavaScript on, through the mail that arrived at the test SMTP server:
// forgot password (and the old sessions end), the same answer for unknown addresses, a used link,
// an admin's forced reset and invitation. (mail.nojs.spec.ts: the same with JavaScript off.)
import { createUser, expect, linkTo, strongPassword, test, uniqueEmail, waitForMail } from "./support";
import { signInAsAdmin, AdminUserPage } from "./support/admin";
import { askForResetLink, CHECK_EMAIL, setPasswordThroughLink, signedInElsewhere, signInFresh } from "./support/recovery";

test("forgot password: the emailed link sets a new password once, every old session ends, the new password signs in", async ({ page, browser, user }) => {
  const elsewhere = await signedInElsewhere(browser, user, true);
  const answer = await askForResetLink(page, user.email);
  expect(answer).toMatch(CHECK_EMAIL);
  // An address without an account gets the very same page.
  expect(await askForResetLink(page, uniqueEmail("nobody"))).toBe(answer);

  const mail = await waitForMail(user.email, "Reset your Latchkey password");
  expect(mail.from).toBe('"Latchkey E2E" <no-reply@e2e.test>');
  expect(mail.html).toContain("Choose a new password");
  const link = linkTo(mail, "/reset-password");
  const password = strongPassword();
  await page.goto(link);
  // With scripts, the token leaves the address bar at once.
  await expect(page).toHaveURL((u) => u.pathname === "/reset-password" && u.search === "");
  // Two different passwords: said so, and what was typed stays.
  await page.getByLabel("New password", { exact: true }).fill(password);
  await page.getByLabel("New password again", { exact: true }).fill(`${password}x`);
  await page.getByRole("button", { name: "Set new password" }).click();
  await expect(page.getByTestId("error-summary")).toContainText("The two passwords are not the same");
  await expect(page.getByLabel("New password", { exact: true })).toHaveValue(password);
  await page.getByLabel("New password again", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Set new password" }).click();
  await expect(page).toHaveURL((u) => u.pathname === "/signin");
  await expect(page.getByRole("status").filter({ hasText: "Your password was changed" })).toBeVisible();

  // The other browser's session is gone.
  await elsewhere.goto("/account");
  await expect(elsewhere).toHaveURL((u) => u.pathname === "/signin");
  await elsewhere.context().close();
  // The old password no longer works; the new one does.
  await signInFresh(page, user.email, password);
  await expect(page.getByText("verified", { exact: true })).toBeVisible();

  // The link worked once.
  await page.goto(link);
  await expect(page.getByText("This link does not work any more")).toBeVisible();
  await expect(page.getByRole("link", { name: "Request a new link" })).toHaveAttribute("href", "/forgot-password");
});

test("an admin forces a password reset: the user is emailed a link and can choose a new password", async ({ page, browser }) => {
  const target = await createUser({ prefix: "forced" });
  await signInAsAdmin(page);
  await AdminUserPage.goto(page, target.id);
  await page.getByRole("button", { name: "Force password reset", exact: true }).click();
  await page.getByRole("button", { name: "Yes, reset password" }).click();
  await expect(page.getByText(`A reset link was sent to ${target.email}.`)).toBeVisible();
  const mail = await waitForMail(target.email, "Reset your Latchkey password");
  expect(mail.text).toContain("An administrator asked you to choose a new password");

  const ctx = await browser.newContext();
  const user = await ctx.newPage();
  const password = strongPassword();
  await setPasswordThroughLink(user, linkTo(mail, "/reset-password"), password, /Your password was changed/);
  await signInFresh(user, target.email, password);
  await ctx.close();
});

test("an admin invites a user: the invitation email's link sets their password, then they sign in, address verified", async ({ page, browser }) => {
  const email = uniqueEmail("invited");
  await signInAsAdmin(page);
  await page.goto("/admin/users");
  const invite = page.getByRole("button", { name: "Send invitation" });
  // A bad address: said so on the field, what was typed stays.
  await page.getByLabel("Email", { exact: true }).fill("not-an-email");
  await page.getByLabel("Name", { exact: true }).fill("Ivy Invited");
  await invite.click();
  await expect(page.getByTestId("error-summary")).toContainText("Email: Enter a valid email address");
  await expect(page.getByLabel("Name", { exact: true })).toHaveValue("Ivy Invited");
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Role", { exact: true }).selectOption("developer");
  await invite.click();
  await expect(page.getByText(`Invitation sent to ${email}.`)).toBeVisible();

  const mail = await waitForMail(email, "You are invited to Latchkey");
  expect(mail.text).toContain("Hello Ivy Invited.");
  const ctx = await browser.newContext();
  const invited = await ctx.newPage();
  const password = strongPassword();
  await invited.goto(linkTo(mail, "/reset-password"));
  await expect(invited.getByRole("heading", { name: "Welcome: choose your password" })).toBeVisible();
  await setPasswordThroughLink(invited, linkTo(mail, "/reset-password"), password, /Your password is set/);
  await signInFresh(invited, email, password);
  await expect(invited.getByText("verified", { exact: true })).toBeVisible();
  await ctx.close();
});
