// Two-step verification in the end-to-end specs: the security page and the second-factor page as
// page objects, TOTP codes computed here with otpauth from the manual key the page shows, and the
// MFA policy set straight in the database under test (the settings store, as the admin page does).
import { expect, type Locator, type Page } from "@playwright/test";
import { Secret, TOTP } from "otpauth";
import { databaseUrl } from "../../lib/config/database-url";
import { createDb } from "../../lib/db/client";
import { settingsStore, type MfaPolicy } from "../../lib/db/settings";
import { serverEnv } from "../env";
import { alerts } from "./pages";

/** The code an authenticator app shows for this manual key `offsetSteps` 30-second steps from now. */
export function totpCode(manualKey: string, offsetSteps = 0): string {
  const totp = new TOTP({ secret: Secret.fromBase32(manualKey.replace(/\s/g, "")), digits: 6, period: 30, algorithm: "SHA1" });
  return totp.generate({ timestamp: Date.now() + offsetSteps * 30_000 });
}

let settings: ReturnType<typeof settingsStore> | undefined;

/** Sets the MFA policy on the server under test (read at every sign-in, not cached). */
export async function setMfaPolicy(policy: MfaPolicy, actorId: string): Promise<void> {
  settings ??= settingsStore(createDb(databaseUrl({ ...process.env, ...serverEnv() })));
  await settings.update({ mfaPolicy: policy }, actorId);
}

export class SecurityPage {
  readonly manualKey: Locator;
  readonly code: Locator;
  readonly turnOn: Locator;
  readonly recoveryCodes: Locator;
  readonly codesLeft: Locator;
  constructor(readonly page: Page) {
    this.manualKey = page.getByTestId("totp-manual-key");
    this.code = page.getByLabel("Code from the app", { exact: true });
    this.turnOn = page.getByRole("button", { name: "Turn on two-step verification" });
    this.recoveryCodes = page.getByRole("list", { name: "Recovery codes" }).getByRole("listitem");
    this.codesLeft = page.getByTestId("recovery-codes-left");
  }

  static async goto(page: Page): Promise<SecurityPage> {
    await page.goto("/account/security");
    return new SecurityPage(page);
  }

  /** Sets up TOTP with a code computed from the manual key; returns the key and the recovery codes shown. */
  async enrol(): Promise<{ key: string; codes: string[] }> {
    const key = (await this.manualKey.innerText()).trim();
    await this.code.fill(totpCode(key));
    await this.turnOn.click();
    await expect(this.page.getByText("Two-step verification is on")).toBeVisible();
    await expect(this.recoveryCodes).toHaveCount(10);
    return { key, codes: (await this.recoveryCodes.allInnerTexts()).map((c) => c.trim()) };
  }
}

export class SecondFactorPage {
  readonly code: Locator;
  readonly verify: Locator;
  readonly recoveryCode: Locator;
  readonly useRecovery: Locator;
  readonly alert: Locator;
  constructor(readonly page: Page) {
    this.code = page.getByLabel("Authentication code", { exact: true });
    this.verify = page.getByRole("button", { name: "Verify", exact: true });
    this.recoveryCode = page.getByLabel("Recovery code", { exact: true });
    this.useRecovery = page.getByRole("button", { name: "Use recovery code", exact: true });
    this.alert = alerts(page);
  }

  async enterCode(code: string): Promise<void> {
    await expect(this.page).toHaveURL((u) => u.pathname === "/signin/second-factor");
    await this.code.fill(code);
    await this.verify.click();
  }

  async enterRecoveryCode(code: string): Promise<void> {
    await this.page.getByRole("link", { name: "Use a recovery code" }).click();
    await this.recoveryCode.fill(code);
    await this.useRecovery.click();
  }
}
