// Initial access tokens for dynamic registration (RFC 7591 §3), created the way an admin does:
// in the portal's Registration tokens page.
import { expect, type Page } from "@playwright/test";
import { BASE_URL } from "../env";
import { SignInPage } from "./pages";
import type { TestUser } from "./users";

export const REGISTRATION_TOKENS_PAGE = "/dashboard/registration-tokens";

/** Opens `path` through the sign-in page as `user`. */
export async function signInTo(page: Page, user: TestUser, path: string): Promise<void> {
  const signIn = new SignInPage(page);
  await signIn.goto(path);
  await signIn.signIn(user.email, user.password);
  await expect(page).toHaveURL(`${BASE_URL}${path}`);
}

/** Creates a token on the (open) Registration tokens page and returns the value shown once. */
export async function createRegistrationToken(page: Page, label: string, expiry: string): Promise<string> {
  await page.getByLabel("Label", { exact: true }).fill(label);
  await page.getByLabel("Expires in", { exact: true }).selectOption({ label: expiry });
  await page.getByRole("button", { name: "Create token", exact: true }).click();
  const shown = page.getByLabel("Initial access token", { exact: true });
  await expect(shown).toBeVisible();
  await expect(page.getByRole("alert").filter({ hasText: "This is the only time it is shown" })).toBeVisible();
  const token = await shown.inputValue();
  expect(token).toMatch(/^lkiat_[A-Za-z0-9_-]{43}$/);
  return token;
}
