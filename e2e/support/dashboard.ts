// Page objects and helpers for the developer dashboard specs: signing a user in, the client
// form, the client page (secret shown once, prefix after), and checking a client secret against
// the server itself (introspection authenticates the client: 200 with a good secret, 401 without).
import { expect, type Browser, type Locator, type Page } from "@playwright/test";
import { BASE_URL } from "../env";
import { SignInPage, alerts } from "./pages";
import type { TestUser } from "./users";

/** A new browser context signed in as `user` (lands on /account). */
export async function signedInPage(browser: Browser, user: Pick<TestUser, "email" | "password">, viewport?: { width: number; height: number }): Promise<Page> {
  const context = await browser.newContext({ baseURL: BASE_URL, ...(viewport ? { viewport } : {}) });
  const page = await context.newPage();
  const signIn = new SignInPage(page);
  await signIn.goto();
  await signIn.signIn(user.email, user.password);
  await expect(page).toHaveURL(`${BASE_URL}/account`);
  return page;
}

export class ClientFormPage {
  readonly name: Locator;
  readonly redirectUris: Locator;
  readonly submit: Locator;
  readonly alert: Locator;

  constructor(readonly page: Page) {
    this.name = page.getByLabel("Name", { exact: true });
    this.redirectUris = page.getByLabel("Redirect URIs", { exact: true });
    this.submit = page.getByRole("button", { name: /^(Register client|Save changes)$/ });
    this.alert = alerts(page);
  }

  grant(name: string): Locator {
    return this.page.getByRole("checkbox", { name: new RegExp(`^${name}\\b`) });
  }

  /** Errors listed under the Redirect URIs field (its accessible description). */
  redirectUriErrors(): Locator {
    return this.page.locator("#field-redirect_uris-error li");
  }

  /** Registers a client through the form; returns the client_id and secret shown once. */
  async register(
    name: string,
    redirectUris: string[],
    options: { grants?: string[]; noPkce?: boolean; authMethod?: "client_secret_basic" | "client_secret_post"; idTokenAlg?: "ES256" | "RS256" } = {},
  ) {
    await this.page.goto("/dashboard/clients/new");
    await this.name.fill(name);
    await this.redirectUris.fill(redirectUris.join("\n"));
    for (const g of options.grants ?? []) await this.grant(g).check();
    if (options.noPkce) await this.page.getByRole("checkbox", { name: /^Require PKCE/ }).uncheck();
    if (options.authMethod) await this.page.getByRole("radio", { name: new RegExp(`^${options.authMethod}\\b`) }).check();
    if (options.idTokenAlg) await this.page.getByRole("radio", { name: new RegExp(`^${options.idTokenAlg}\\b`) }).check();
    await this.submit.click();
    const secretInput = this.page.getByLabel("Client secret", { exact: true });
    await expect(secretInput).toBeVisible();
    const secret = await secretInput.inputValue();
    const clientId = (await this.page.getByTestId("created-client-id").innerText()).trim();
    await this.page.getByRole("link", { name: "Go to the client page" }).click();
    await expect(this.page).toHaveURL(/\/dashboard\/clients\/[0-9a-f-]{36}$/);
    const rowId = new URL(this.page.url()).pathname.split("/").pop()!;
    return { clientId, secret, rowId };
  }
}

/** The introspection endpoint's answer to client authentication with `secret`: 200 or 401. */
export async function introspectionStatus(clientId: string, secret: string): Promise<number> {
  const meta = (await (await fetch(`${BASE_URL}/.well-known/openid-configuration`)).json()) as { introspection_endpoint: string };
  const res = await fetch(meta.introspection_endpoint, {
    method: "POST",
    headers: {
      authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString("base64")}`,
      "content-type": "application/x-www-form-urlencoded",
    },
    body: "token=not-a-real-token",
  });
  await res.arrayBuffer();
  return res.status;
}

/** Sets the hidden `client` field of every form on the page (replaying an action for another client). */
export async function pointFormsAt(page: Page, rowId: string): Promise<void> {
  await page.locator('input[type="hidden"][name="client"]').evaluateAll((inputs, id) => {
    for (const i of inputs) (i as HTMLInputElement).value = id;
  }, rowId);
}
