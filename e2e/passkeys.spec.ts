// Passkeys in real Chromium with its virtual authenticator (DevTools protocol, WebAuthn domain):
// register two named passkeys, sign in usernameless with one, see "Last used" change, remove one,
// and a removed passkey no longer signs in.
//
// The server under test has ISSUER http://127.0.0.1:<port>; an IP address cannot be a WebAuthn
// RP ID (Chromium: "This is an invalid domain"), so passkeys for a loopback issuer live on
// http://localhost:<port> (lib/auth/webauthn-rp.ts) and these tests browse there.
import type { BrowserContext, CDPSession, Page } from "@playwright/test";
import { BASE_URL } from "./env";
import { alerts, expect, test, type TestUser } from "./support";

const LOCAL = BASE_URL.replace("//127.0.0.1:", "//localhost:");
test.use({ baseURL: LOCAL });

type Credential = { credentialId: string; isResidentCredential: boolean; rpId?: string; privateKey: string; userHandle?: string; signCount: number };

/** A platform authenticator that verifies the user (fingerprint, face…), as the Chromium devtools offer. */
class VirtualAuthenticators {
  private constructor(private readonly cdp: CDPSession) {}

  static async enable(context: BrowserContext, page: Page): Promise<VirtualAuthenticators> {
    const cdp = await context.newCDPSession(page);
    await cdp.send("WebAuthn.enable");
    return new VirtualAuthenticators(cdp);
  }

  async add(credentials: Credential[] = []): Promise<string> {
    const { authenticatorId } = await this.cdp.send("WebAuthn.addVirtualAuthenticator", {
      options: { protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
    });
    for (const c of credentials) await this.cdp.send("WebAuthn.addCredential", { authenticatorId, credential: c });
    return authenticatorId;
  }

  async credentials(authenticatorId: string): Promise<Credential[]> {
    return (await this.cdp.send("WebAuthn.getCredentials", { authenticatorId })).credentials as Credential[];
  }

  /** Takes the authenticator away (its credentials are returned, to plug it in again later). */
  async unplug(authenticatorId: string): Promise<Credential[]> {
    const creds = await this.credentials(authenticatorId);
    await this.cdp.send("WebAuthn.removeVirtualAuthenticator", { authenticatorId });
    return creds;
  }
}

async function signInWithPassword(page: Page, user: TestUser, callbackUrl: string) {
  await page.goto(`/signin?callbackUrl=${encodeURIComponent(callbackUrl)}`);
  await page.getByLabel("Email", { exact: true }).fill(user.email);
  await page.getByLabel("Password", { exact: true }).fill(user.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL((u) => u.pathname === callbackUrl);
}

async function addPasskey(page: Page, name: string) {
  await page.getByLabel("Passkey name").fill(name);
  await page.getByRole("button", { name: "Add a passkey" }).click();
}

const item = (page: Page, name: string) => page.getByRole("list", { name: "Passkeys" }).getByRole("listitem", { name, exact: true });

async function signOut(page: Page) {
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page).toHaveURL((u) => u.pathname === "/signin");
}

test("register two passkeys, sign in with one (usernameless), last used, remove one, and it no longer signs in", async ({ page, context, user }) => {
  const authenticators = await VirtualAuthenticators.enable(context, page);
  const laptop = await authenticators.add();

  await signInWithPassword(page, user, "/account/passkeys");
  await expect(page.getByText("You have no passkeys yet.")).toBeVisible();
  await addPasskey(page, "Work laptop");
  await expect(page).toHaveURL((u) => u.pathname === "/account/passkeys" && u.searchParams.get("added") === "1");
  await expect(page.getByText("Your passkey was added.")).toBeVisible();
  // The virtual authenticator keeps its credentials on the device (no backup flags).
  await expect(item(page, "Work laptop")).toContainText("This device only");
  await expect(item(page, "Work laptop").getByTestId("passkey-last-used")).toHaveText("Never");
  const [laptopCred] = await authenticators.credentials(laptop);
  expect(laptopCred).toMatchObject({ isResidentCredential: true, rpId: "localhost" });

  // The same device again: excluded (excludeCredentials), and said so.
  await addPasskey(page, "Twice");
  await expect(alerts(page)).toHaveText("This device already holds a passkey for your account.");

  // A second device: the laptop's authenticator is unplugged while the phone's registers.
  const laptopCreds = await authenticators.unplug(laptop);
  const phone = await authenticators.add();
  await page.reload();
  await addPasskey(page, "Phone");
  await expect(page.getByText("Your passkey was added.")).toBeVisible();
  await expect(page.getByRole("list", { name: "Passkeys" }).getByRole("listitem")).toHaveCount(2);
  const phoneCreds = await authenticators.unplug(phone);

  // Usernameless sign-in with the laptop: no email typed.
  await signOut(page);
  const laptop2 = await authenticators.add(laptopCreds);
  await page.goto(`/signin?callbackUrl=${encodeURIComponent("/account/passkeys")}`);
  await page.getByRole("button", { name: "Sign in with a passkey" }).click();
  await expect(page).toHaveURL((u) => u.pathname === "/account/passkeys");
  await expect(item(page, "Work laptop").getByTestId("passkey-last-used")).toHaveText(/UTC$/);
  await expect(item(page, "Phone").getByTestId("passkey-last-used")).toHaveText("Never");
  await page.screenshot({ path: "/tmp/passkeys-list.png", fullPage: true });

  // Rename the phone's, remove the laptop's (asks first).
  await item(page, "Phone").getByLabel("New name for Phone").fill("Pixel");
  await item(page, "Phone").getByRole("button", { name: "Rename" }).click();
  await expect(page.getByText("The passkey was renamed.")).toBeVisible();
  await item(page, "Work laptop").getByRole("button", { name: "Remove Work laptop" }).click();
  await expect(page.getByRole("group", { name: "Confirm removing Work laptop" })).toBeVisible();
  await page.getByRole("button", { name: "Yes, remove passkey" }).click();
  await expect(page.getByText("The passkey was removed.")).toBeVisible();
  await expect(item(page, "Work laptop")).toHaveCount(0);
  await expect(item(page, "Pixel")).toBeVisible();

  // The laptop still holds its credential, but the server no longer knows it.
  await signOut(page);
  await page.goto("/signin");
  await page.getByRole("button", { name: "Sign in with a passkey" }).click();
  await expect(alerts(page)).toHaveText("That passkey did not work. Try another one, or sign in another way.");
  await expect(page).toHaveURL((u) => u.pathname === "/signin");

  // The phone's still works.
  await authenticators.unplug(laptop2);
  await authenticators.add(phoneCreds);
  await page.getByRole("button", { name: "Sign in with a passkey" }).click();
  await expect(page).toHaveURL((u) => u.pathname === "/account");
});

test("the Email field offers passkeys in its autofill, and the sign-in page on the loopback IP points to localhost", async ({ page }) => {
  await page.goto("/signin");
  await expect(page.getByLabel("Email", { exact: true })).toHaveAttribute("autocomplete", "username webauthn");
  await page.goto(`${BASE_URL}/signin`);
  await expect(page.getByRole("link", { name: LOCAL })).toHaveAttribute("href", `${LOCAL}/signin`);
  await expect(page.getByRole("button", { name: "Sign in with a passkey" })).toHaveCount(0);
});
