// The passkeys page with JavaScript off (chromium-nojs project): the list shows, the page says
// that adding a passkey needs JavaScript, and renaming (with a validation error that keeps what
// was typed) and removing (asked first) work as plain form posts. The two passkeys are made
// beforehand in a second context with JavaScript on (WebAuthn cannot run without it), whose
// session cookie this one then uses.
import { expect, test } from "./support";
import { addPasskey, item, LOCAL, signInWithPassword, VirtualAuthenticators } from "./support/passkeys";

test.use({ baseURL: LOCAL });

test("the passkeys page without JavaScript: list, the 'needs JavaScript' note, rename and remove", async ({ browser, context, page, user }) => {
  const withJs = await browser.newContext({ javaScriptEnabled: true, baseURL: LOCAL });
  const jsPage = await withJs.newPage();
  const authenticators = await VirtualAuthenticators.enable(withJs, jsPage);
  const laptop = await authenticators.add();
  await signInWithPassword(jsPage, user, "/account/passkeys");
  await addPasskey(jsPage, "Laptop");
  await expect(jsPage.getByText("Your passkey was added.")).toBeVisible();
  await authenticators.unplug(laptop);
  await authenticators.add();
  await addPasskey(jsPage, "Phone");
  await expect(jsPage.getByText("Your passkey was added.")).toBeVisible();
  await context.addCookies(await withJs.cookies());
  await withJs.close();

  const serverErrors: string[] = [];
  page.on("response", (r) => {
    if (r.status() >= 500) serverErrors.push(`${r.status()} ${r.url()}`);
  });
  await page.goto("/account/passkeys");
  await expect(page.getByTestId("passkey-needs-js")).toHaveText(/Adding a passkey needs JavaScript/);
  await expect(page.getByRole("button", { name: "Add a passkey" })).toHaveCount(0);
  await expect(page.getByRole("list", { name: "Passkeys" }).getByRole("listitem")).toHaveCount(2);
  await expect(item(page, "Laptop")).toContainText("Never");
  await page.screenshot({ path: "/tmp/passkeys-nojs.png", fullPage: true });

  // A blank name: refused, and the field keeps what was typed.
  await item(page, "Phone").getByLabel("New name for Phone").fill("   ");
  await item(page, "Phone").getByRole("button", { name: "Rename" }).click();
  await expect(item(page, "Phone").getByText("Give the passkey a name.")).toBeVisible();
  await expect(item(page, "Phone").getByLabel("New name for Phone")).toHaveValue("   ");
  await item(page, "Phone").getByLabel("New name for Phone").fill("Pixel 9");
  await item(page, "Phone").getByRole("button", { name: "Rename" }).click();
  await expect(page).toHaveURL((u) => u.pathname === "/account/passkeys" && u.searchParams.get("renamed") === "1");
  await expect(item(page, "Pixel 9")).toBeVisible();

  // Remove asks first; Cancel keeps it, Yes removes it.
  await item(page, "Laptop").getByRole("button", { name: "Remove Laptop" }).click();
  await expect(page.getByRole("group", { name: "Confirm removing Laptop" })).toContainText("You will no longer be able to sign in with it.");
  await page.getByRole("button", { name: "Cancel" }).click();
  await expect(item(page, "Laptop")).toBeVisible();
  await expect(page.getByRole("group", { name: "Confirm removing Laptop" })).toHaveCount(0);
  await item(page, "Laptop").getByRole("button", { name: "Remove Laptop" }).click();
  await page.getByRole("button", { name: "Yes, remove passkey" }).click();
  await expect(page).toHaveURL((u) => u.pathname === "/account/passkeys" && u.searchParams.get("removed") === "1");
  await expect(page.getByRole("status").filter({ hasText: "The passkey was removed." })).toBeVisible();
  await expect(page.getByRole("list", { name: "Passkeys" }).getByRole("listitem")).toHaveCount(1);
  expect(serverErrors).toEqual([]);
});
