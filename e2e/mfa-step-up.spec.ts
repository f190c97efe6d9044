// Step-up with acr_values, in Chromium, with openid-client as the app: a user signed in with the
// password only (TOTP set up afterwards, so the session's amr is "pwd") is sent by the
// authorization endpoint to /signin/step-up, enters a code, and comes back to the app with a code
// whose ID token says acr = multi-factor and amr with otp and mfa (OIDC Core §2, §3.1.2.1; RFC 8176).
import { ACR } from "../lib/oauth/amr";
import { BASE_URL } from "./env";
import { expect, test } from "./support";
import { signInAs } from "./support/admin";
import { SecondFactorPage, SecurityPage, totpCode } from "./support/mfa";
import { CallbackServer, ConsentPage, RelyingParty, expectCodeCallback, recordNavigations, registerClient } from "./support/oauth";

let callbacks: CallbackServer;
let rp: RelyingParty;

test.beforeAll(async () => {
  callbacks = await CallbackServer.start();
  rp = await RelyingParty.discover(await registerClient("confidential", callbacks.redirectUri));
});
test.afterAll(async () => {
  await callbacks?.close();
});

test("acr_values=multi-factor from a password-only session: step-up page, a TOTP code, then an ID token with acr mfa and amr otp mfa", async ({ page, user }) => {
  await signInAs(page, user);
  const { key } = await (await SecurityPage.goto(page)).enrol();

  const navigations = recordNavigations(page);
  const request = await rp.authorizationRequest({ acr_values: ACR.mfa });
  const callback = await callbacks.capture(page, async () => {
    await page.goto(request.url.href);
    await expect(page).toHaveURL((u) => u.pathname === "/signin/step-up");
    await expect(page.getByRole("heading", { level: 1, name: "Confirm it is you" })).toBeVisible();
    await page.screenshot({ path: "/tmp/mfa-step-up.png", fullPage: true });
    const second = new SecondFactorPage(page);
    // A wrong code first: refused, still on the step-up page.
    await second.code.fill(totpCode(key, 1) === "000000" ? "111111" : "000000");
    await second.verify.click();
    await expect(second.alert).toContainText("That code is not right");
    await second.code.fill(totpCode(key, 1));
    await second.verify.click();
    const consent = new ConsentPage(page);
    await consent.expectFor(rp.registered);
    await consent.allow.click();
  });
  expectCodeCallback(callback, request);
  const stepUp = navigations.find((u) => u.origin === BASE_URL && u.pathname === "/signin/step-up");
  expect(stepUp?.searchParams.get("acr")).toBe(ACR.mfa);
  const tokens = await rp.exchange(callback, request);
  const claims = tokens.claims()!;
  expect(claims.acr).toBe(ACR.mfa);
  expect(claims.amr).toEqual(["pwd", "otp", "mfa"]);

  // The session is stepped up: the next request for mfa goes straight through.
  const again = await rp.authorizationRequest({ acr_values: ACR.mfa });
  const second = await callbacks.capture(page, async () => {
    await page.goto(again.url.href);
  });
  expectCodeCallback(second, again);
  expect((await rp.exchange(second, again)).claims()).toMatchObject({ acr: ACR.mfa, amr: ["pwd", "otp", "mfa"] });
});

test("step-up for a user without a second factor offers to set one up and comes back", async ({ page, user }) => {
  await signInAs(page, user);
  const request = await rp.authorizationRequest({ acr_values: ACR.mfa });
  const callback = await callbacks.capture(page, async () => {
    await page.goto(request.url.href);
    await expect(page).toHaveURL((u) => u.pathname === "/signin/step-up");
    await page.getByRole("link", { name: "Set up two-step verification" }).click();
    await expect(page).toHaveURL((u) => u.pathname === "/account/security");
    const security = new SecurityPage(page);
    const { key } = await security.enrol();
    await page.getByRole("link", { name: "Continue" }).click();
    await expect(page).toHaveURL((u) => u.pathname === "/signin/step-up");
    const second = new SecondFactorPage(page);
    await second.code.fill(totpCode(key, 1));
    await second.verify.click();
    await new ConsentPage(page).allow.click();
  });
  expectCodeCallback(callback, request);
  expect((await rp.exchange(callback, request)).claims()).toMatchObject({ acr: ACR.mfa, amr: ["pwd", "otp", "mfa"] });
});
