// The admin Settings page with JavaScript off: the form is a plain POST, the answer is the page
// with the saved state and the success message, no 5xx. (A *.serial spec: playwright.config.ts.)
import { expect, test } from "./support";
import { signInAsAdmin } from "./support/admin";
import { resetSettings, SettingsPage } from "./support/lifecycle";

test.use({ javaScriptEnabled: false });
test.beforeEach(resetSettings);
test.afterEach(resetSettings);

test("JavaScript is really off in this file", async ({ page }) => {
  await page.setContent('<p id="n">off</p><script>document.getElementById("n").textContent = "on"</script>');
  await expect(page.locator("#n")).toHaveText("off");
});

test("an admin saves the settings with a plain form post and sees the saved state", async ({ page }) => {
  const serverErrors: string[] = [];
  page.on("response", (r) => {
    if (r.status() >= 500) serverErrors.push(`${r.status()} ${r.url()}`);
  });
  await signInAsAdmin(page);
  const settings = new SettingsPage(page);
  await settings.goto();
  await expect(page.locator("form").filter({ has: settings.save })).toHaveAttribute("method", /^post$/i);
  expect(await settings.shown()).toEqual({ requireVerified: false, mfa: "Nobody" });

  await settings.requireVerified.check();
  await settings.mfa("Everyone").check();
  await settings.save.click();
  await expect(settings.saved).toBeVisible();
  expect(await settings.shown()).toEqual({ requireVerified: true, mfa: "Everyone" });

  await settings.requireVerified.uncheck();
  await settings.mfa("Admins only").check();
  await settings.save.click();
  await expect(settings.saved).toBeVisible();
  await settings.goto();
  expect(await settings.shown()).toEqual({ requireVerified: false, mfa: "Admins only" });
  expect(serverErrors).toEqual([]);
});
