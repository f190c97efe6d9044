// Journeys through emailed links, shared by e2e/mail.spec.ts (JavaScript on) and
// e2e/mail.nojs.spec.ts (off): every link is taken from the mail that actually arrived at the test
// SMTP server (e2e/smtp-inbox.ts).
import { expect, type Browser, type Page } from "@playwright/test";
import { BASE_URL } from "../env";
import { linkTo, waitForMail } from "./mail";
import { SignInPage } from "./pages";

export const CHECK_EMAIL = /If an account exists for .+, we sent it a link to choose a new password\./;

/** From the sign-in page's "Forgot password?" to the answer page, for `email`. Returns the answer's text. */
export async function askForResetLink(page: Page, email: string): Promise<string> {
  await new SignInPage(page).goto();
  await page.getByRole("link", { name: "Forgot password?" }).click();
  await expect(page).toHaveURL((u) => u.pathname === "/forgot-password");
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByRole("button", { name: "Send me a link" }).click();
  const answer = page.getByRole("status").filter({ hasText: "Check your email" });
  await expect(answer).toBeVisible();
  return (await answer.innerText()).replace(email, "<address>");
}

/** Opens `link` and sets `password` twice; ends on the sign-in page with its notice. */
export async function setPasswordThroughLink(page: Page, link: string, password: string, notice: RegExp): Promise<void> {
  const res = await page.goto(link);
  expect(res?.status()).toBe(200);
  // No Referer to any other site, whatever the page links to.
  expect(res?.headers()["referrer-policy"]).toBe("same-origin");
  await page.getByLabel("New password", { exact: true }).fill(password);
  await page.getByLabel("New password again", { exact: true }).fill(password);
  await page.getByRole("button", { name: /^Set (new|my) password$/ }).click();
  await expect(page).toHaveURL((u) => u.pathname === "/signin");
  await expect(page.getByRole("status").filter({ hasText: notice })).toBeVisible();
}

/** Signs in on a fresh page and lands on /account. */
export async function signInFresh(page: Page, email: string, password: string): Promise<void> {
  const signIn = new SignInPage(page);
  await signIn.goto("/account");
  await signIn.signIn(email, password);
  await expect(page).toHaveURL((u) => u.pathname === "/account");
}

/** A page in a new browser context (JavaScript as the project's), signed in as `who`. */
export async function signedInElsewhere(browser: Browser, who: { email: string; password: string }, javaScriptEnabled: boolean): Promise<Page> {
  const ctx = await browser.newContext({ baseURL: BASE_URL, javaScriptEnabled });
  const page = await ctx.newPage();
  await signInFresh(page, who.email, who.password);
  return page;
}

/** The reset link of the `nth` reset mail to `email`. */
export async function resetLinkFor(email: string, nth = 1): Promise<string> {
  return linkTo(await waitForMail(email, "Reset your Latchkey password", { nth }), "/reset-password");
}
