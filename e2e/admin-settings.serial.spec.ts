// The admin Settings page with JavaScript: reached from the admin navigation, shows the stored
// state, saves both settings in one form with a success message, records settings.changed; a
// non-admin gets a 404. (A *.serial spec: it changes what every sign-in reads, so it runs alone,
// after the others; playwright.config.ts.)
import { expect, test } from "./support";
import { allAuditEventText, recordAction, replayAction, signInAs, signInAsAdmin } from "./support/admin";
import { createUser } from "./support";
import { resetSettings, SettingsPage } from "./support/lifecycle";

test.beforeEach(resetSettings);
test.afterEach(resetSettings);

test("an admin changes both settings and sees what was saved; the change is audited", async ({ page }) => {
  await signInAsAdmin(page);
  await page.goto("/admin");
  await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Settings", exact: true }).click();
  const settings = new SettingsPage(page);
  await expect(settings.heading).toBeVisible();
  expect(await settings.shown()).toEqual({ requireVerified: false, mfa: "Nobody" });
  await expect(page.getByText("are asked to set one up at their next sign-in").first()).toBeVisible();

  await settings.requireVerified.check();
  await settings.mfa("Admins only").check();
  await settings.save.click();
  await expect(settings.saved).toBeVisible();
  await expect(page).toHaveURL((u) => u.pathname === "/admin/settings" && u.searchParams.get("saved") === "1");
  expect(await settings.shown()).toEqual({ requireVerified: true, mfa: "Admins only" });

  // Stored, not only shown: a fresh load reads it back.
  await settings.goto();
  expect(await settings.shown()).toEqual({ requireVerified: true, mfa: "Admins only" });
  const events = (await allAuditEventText()).filter((e) => e.includes('"settings.changed"'));
  expect(events.some((e) => e.includes('{\\"requireEmailVerification\\":true,\\"requireEmailVerificationWas\\":false,\\"mfaPolicy\\":\\"admins\\",\\"mfaPolicyWas\\":\\"off\\"}'))).toBe(true);

  // And back: unticking is saved too.
  await settings.requireVerified.uncheck();
  await settings.mfa("Everyone").check();
  await settings.save.click();
  await expect(settings.saved).toBeVisible();
  await settings.goto();
  expect(await settings.shown()).toEqual({ requireVerified: false, mfa: "Everyone" });
  await page.screenshot({ path: "/tmp/lc-settings.png", fullPage: true });
});

test("a non-admin gets a 404 for the page, and the admin navigation is not theirs", async ({ page, user }) => {
  await signInAs(page, user);
  const response = await page.goto("/admin/settings");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("checkbox", { name: "Require verified email to sign in" })).toHaveCount(0);
});

test("the save action is refused (404) to anyone but an admin, and changes nothing; from the admin it works", async ({ page, browser }) => {
  await signInAsAdmin(page);
  const settings = new SettingsPage(page);
  await settings.goto();
  await settings.mfa("Everyone").check();
  // The admin's own post, stopped at the browser (it does not run), then sent by others.
  const action = await recordAction(page, () => settings.save.click());
  const developer = await createUser({ prefix: "settings-dev", role: "developer" });
  const context = await browser.newContext();
  await signInAs(await context.newPage(), developer);
  const anonymous = await browser.newContext();
  for (const ctx of [context, anonymous]) {
    expect((await replayAction(ctx, action)).status()).toBe(404);
  }
  await settings.goto();
  expect(await settings.shown()).toEqual({ requireVerified: false, mfa: "Nobody" });
  expect((await allAuditEventText()).filter((e) => e.includes('"settings.changed"') && e.includes(developer.id))).toEqual([]);

  expect((await replayAction(page.context(), action)).status()).toBeLessThan(400);
  await settings.goto();
  expect(await settings.shown()).toEqual({ requireVerified: false, mfa: "Everyone" });
  await context.close();
  await anonymous.close();
});
