// Passkeys in Playwright: Chromium's virtual authenticators (DevTools protocol, WebAuthn domain)
// and the account page's passkey controls.
//
// The server under test has ISSUER http://127.0.0.1:<port>; an IP address cannot be a WebAuthn
// RP ID (Chromium: "This is an invalid domain"), so passkeys for a loopback issuer live on
// http://localhost:<port> (lib/auth/webauthn-rp.ts), and passkey specs browse there (LOCAL).
import { expect, type BrowserContext, type CDPSession, type Page } from "@playwright/test";
import { BASE_URL } from "../env";
import type { TestUser } from "./users";

/** The portal under test on localhost, where its passkeys work. */
export const LOCAL = BASE_URL.replace("//127.0.0.1:", "//localhost:");

type Credential = { credentialId: string; isResidentCredential: boolean; rpId?: string; privateKey: string; userHandle?: string; signCount: number };

/** A platform authenticator that verifies the user (fingerprint, face…), as the Chromium devtools offer. */
export class VirtualAuthenticators {
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

/**
 * Records what the page asks of WebAuthn: whether conditional mediation (autofill) is available
 * (`autofill:true|false`, once answered) and each navigator.credentials.get() (its `mediation`).
 * Chromium's virtual authenticator answers any request at once, an autofill one too, and offers
 * autofill only while an authenticator is plugged in; so the button tests load the sign-in page
 * without one, wait until the page has asked (and been told no), and only then plug it in.
 */
export async function recordCredentialRequests(context: BrowserContext) {
  await context.addInitScript(() => {
    const w = window as unknown as { __webauthn: string[] };
    w.__webauthn = [];
    const get = navigator.credentials.get.bind(navigator.credentials);
    navigator.credentials.get = (options?: CredentialRequestOptions) => {
      w.__webauthn.push(options?.mediation ?? "optional");
      return get(options);
    };
    const available = PublicKeyCredential.isConditionalMediationAvailable?.bind(PublicKeyCredential);
    if (available) {
      PublicKeyCredential.isConditionalMediationAvailable = async () => {
        const yes = await available();
        w.__webauthn.push(`autofill:${yes}`);
        return yes;
      };
    }
  });
}

const webauthnCalls = (page: Page) => page.evaluate(() => (window as unknown as { __webauthn: string[] }).__webauthn);

/** Waits until the sign-in page has asked for autofill and been told no (no authenticator plugged in). */
export async function autofillDeclined(page: Page) {
  await expect.poll(() => webauthnCalls(page)).toEqual(["autofill:false"]);
}

export async function signInWithPassword(page: Page, user: TestUser, callbackUrl: string) {
  await page.goto(`/signin?callbackUrl=${encodeURIComponent(callbackUrl)}`);
  await page.getByLabel("Email", { exact: true }).fill(user.email);
  await page.getByLabel("Password", { exact: true }).fill(user.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL((u) => u.pathname === callbackUrl);
}

export async function addPasskey(page: Page, name: string) {
  await page.getByLabel("Passkey name").fill(name);
  await page.getByRole("button", { name: "Add a passkey" }).click();
}

export const item = (page: Page, name: string) => page.getByRole("list", { name: "Passkeys" }).getByRole("listitem", { name, exact: true });

export async function signOut(page: Page) {
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page).toHaveURL((u) => u.pathname === "/signin");
}
