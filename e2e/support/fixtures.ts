import { test as base } from "@playwright/test";
import { AccountPage, SignInPage, SignUpPage } from "./pages";
import { createUser, type TestUser } from "./users";

export { expect } from "@playwright/test";

interface Fixtures {
  /** A fresh user with role "user", created with the CLI's `user create` for this test only. */
  user: TestUser;
  signInPage: SignInPage;
  signUpPage: SignUpPage;
  accountPage: AccountPage;
}

export const test = base.extend<Fixtures>({
  user: async ({}, use) => {
    await use(await createUser({ prefix: "fixture" }));
  },
  signInPage: async ({ page }, use) => {
    await use(new SignInPage(page));
  },
  signUpPage: async ({ page }, use) => {
    await use(new SignUpPage(page));
  },
  accountPage: async ({ page }, use) => {
    await use(new AccountPage(page));
  },
});
