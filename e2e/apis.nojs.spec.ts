// The API forms as plain HTML (the "chromium-nojs" project, JavaScript off): creating an API
// (a validation error keeps every field), rotating its secret and deleting it, each confirmed by
// a second POST. No 5xx anywhere.
import type { Page } from "@playwright/test";
import { BASE_URL } from "./env";
import { createUser, expect, test } from "./support";
import { signInAs } from "./support/admin";
import { ApiFormPage } from "./support/apis";
import { introspectionStatus } from "./support/dashboard";

function serverErrorsOf(page: Page): string[] {
  const errors: string[] = [];
  page.on("response", (r) => {
    if (r.status() >= 500) errors.push(`${r.status()} ${r.request().method()} ${r.url()}`);
  });
  return errors;
}

test("create an API with JavaScript off: an error keeps every field; then rotate and delete, each confirmed", async ({ page }) => {
  test.setTimeout(60_000);
  const serverErrors = serverErrorsOf(page);
  const dev = await createUser({ prefix: "nojs-api", role: "developer" });
  await signInAs(page, dev);
  await page.goto("/dashboard/apis/new");
  const form = new ApiFormPage(page);
  await expect(page.locator("form").filter({ has: form.submit })).toHaveAttribute("method", /^post$/i);

  const identifier = `https://nojs-${Date.now().toString(36)}.example.com`;
  await form.name.fill("No-JS API");
  await form.identifier.fill(`${identifier}#frag`);
  await form.scopes.fill("read:things=Read your things\nwrite things");
  await form.ttl.fill("soon");
  await page.getByRole("radio", { name: /^Only the clients chosen below/ }).check();
  await form.submit.click();
  const summary = page.getByTestId("error-summary");
  await expect(summary).toContainText("Please correct 3 problems");
  await expect(summary).toBeFocused();
  await expect(page.locator("#field-identifier-error")).toHaveText("Identifier must not contain a fragment (#)");
  await expect(form.scopeErrors()).toHaveText(["write things: A scope name has no spaces, quotes or backslashes (RFC 6749 §3.3)"]);
  await expect(form.name).toHaveValue("No-JS API");
  await expect(form.identifier).toHaveValue(`${identifier}#frag`);
  await expect(form.scopes).toHaveValue("read:things=Read your things\nwrite things");
  await expect(form.ttl).toHaveValue("soon");
  await expect(page.getByRole("radio", { name: /^Only the clients chosen below/ })).toBeChecked();

  await form.identifier.fill(identifier);
  await form.scopes.fill("read:things=Read your things\nwrite:things=Change your things");
  await form.ttl.fill("");
  await form.submit.click();
  const clientId = (await page.getByTestId("created-client-id").innerText()).trim();
  const secret = await page.getByLabel("API client secret", { exact: true }).inputValue();
  expect(secret).toMatch(/^lks_/);
  await page.getByRole("link", { name: "Go to the API page" }).click();
  await expect(page.getByText("No client may ask for it yet.")).toBeVisible();

  // Rotate: the first POST only asks.
  await page.getByRole("button", { name: "Rotate secret" }).click();
  await expect(page.getByTestId("confirm-step")).toContainText("The current one stops working now");
  expect(await introspectionStatus(clientId, secret)).toBe(200);
  await page.getByRole("button", { name: "Yes, rotate now" }).click();
  const rotated = await page.getByLabel("New API client secret", { exact: true }).inputValue();
  expect(await introspectionStatus(clientId, rotated)).toBe(200);
  expect(await introspectionStatus(clientId, secret)).toBe(401);

  // Delete: the first POST only asks; the yes deletes and lands on the list.
  await page.goto(page.url());
  await page.getByRole("button", { name: "Delete API" }).click();
  await expect(page.getByTestId("confirm-step")).toContainText("Delete No-JS API?");
  await page.getByRole("button", { name: "Yes, delete API" }).click();
  await expect(page).toHaveURL(`${BASE_URL}/dashboard/apis?deleted=1`);
  await expect(page.getByRole("heading", { name: "No APIs yet" })).toBeVisible();
  expect(await introspectionStatus(clientId, rotated)).toBe(401);
  expect(serverErrors).toEqual([]);
});
