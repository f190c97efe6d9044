// Page objects for the dashboard's APIs: the API form (create or edit) and the API page's code
// blocks, read as the developer would copy them.
import { expect, type Locator, type Page } from "@playwright/test";
import { BASE_URL } from "../env";

export class ApiFormPage {
  readonly name: Locator;
  readonly identifier: Locator;
  readonly scopes: Locator;
  readonly ttl: Locator;
  readonly submit: Locator;

  constructor(readonly page: Page) {
    this.name = page.getByLabel("Name", { exact: true });
    this.identifier = page.getByLabel("Identifier", { exact: true });
    // A textbox: the API page also has a list named "Scopes".
    this.scopes = page.getByRole("textbox", { name: "Scopes", exact: true });
    this.ttl = page.getByLabel("Access token lifetime", { exact: true });
    this.submit = page.getByRole("button", { name: /^(Create API|Save changes)$/ });
  }

  /** Errors listed under the Scopes field. */
  scopeErrors(): Locator {
    return this.page.locator("#field-scopes-error li");
  }

  /** Creates an API through the form; returns its credentials (the secret shown once) and row id. */
  async create(name: string, identifier: string, scopes: string) {
    await this.page.goto("/dashboard/apis/new");
    await this.name.fill(name);
    await this.identifier.fill(identifier);
    await this.scopes.fill(scopes);
    await this.submit.click();
    const secretInput = this.page.getByLabel("API client secret", { exact: true });
    await expect(secretInput).toBeVisible();
    const secret = await secretInput.inputValue();
    const clientId = (await this.page.getByTestId("created-client-id").innerText()).trim();
    await this.page.getByRole("link", { name: "Go to the API page" }).click();
    await expect(this.page).toHaveURL(/\/dashboard\/apis\/[0-9a-f-]{36}$/);
    const rowId = new URL(this.page.url()).pathname.split("/").pop()!;
    return { clientId, secret, rowId };
  }
}

/** The text of the code block titled `title` on the page (what its copy button copies). */
export async function codeBlock(page: Page, title: string): Promise<string> {
  // CodeBlock: the heading's row, then the <pre> right after it.
  return page.getByRole("heading", { name: title, exact: true }).locator("xpath=../following-sibling::pre[1]").innerText();
}

/** Points every form's hidden `api` field at another API (to replay an action against it). */
export async function pointApiFormsAt(page: Page, apiRowId: string): Promise<void> {
  await page.locator('input[type="hidden"][name="api"]').evaluateAll((inputs, id) => {
    for (const i of inputs) (i as HTMLInputElement).value = id;
  }, apiRowId);
}

/** The introspection endpoint's answer (RFC 7662) to `clientId`/`secret` about `token`. */
export async function introspect(clientId: string, secret: string, token: string): Promise<Record<string, unknown>> {
  const meta = (await (await fetch(`${BASE_URL}/.well-known/openid-configuration`)).json()) as { introspection_endpoint: string };
  const res = await fetch(meta.introspection_endpoint, {
    method: "POST",
    headers: {
      authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString("base64")}`,
      "content-type": "application/x-www-form-urlencoded",
    },
    body: new URLSearchParams({ token }).toString(),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, unknown>;
}
