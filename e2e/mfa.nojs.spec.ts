// Two-step verification with JavaScript off (the "chromium-nojs" project): every step is the
// browser's own form POST. Set-up on the security page (the recovery codes come back in the
// action's answer), sign-in with a code, with a recovery code, and the step-up page's code form.
import { ACR } from "../lib/oauth/amr";
import { BASE_URL } from "./env";
import { SignInPage, expect, test } from "./support";
import { signInAs } from "./support/admin";
import { SecondFactorPage, SecurityPage, totpCode } from "./support/mfa";
import { CallbackServer, ConsentPage, RelyingParty, expectCodeCallback, registerClient } from "./support/oauth";

test("set up TOTP and sign in with a code, then with a recovery code, all as plain HTML", async ({ page, user }) => {
  test.setTimeout(60_000);
  const serverErrors: string[] = [];
  page.on("response", (r) => {
    if (r.status() >= 500) serverErrors.push(`${r.status()} ${r.url()}`);
  });
  await signInAs(page, user);
  const security = await SecurityPage.goto(page);
  // A wrong code first: the same key comes back with the error.
  const key = (await security.manualKey.innerText()).trim();
  await security.code.fill(totpCode(key) === "000000" ? "111111" : "000000");
  await security.turnOn.click();
  await expect(page.getByRole("alert").filter({ hasText: "That code is not right" })).toBeVisible();
  await expect(security.manualKey).toHaveText(key);
  const { codes } = await security.enrol();
  await page.screenshot({ path: "/tmp/mfa-nojs-enrolled.png", fullPage: true });

  await page.context().clearCookies();
  const signIn = new SignInPage(page);
  const second = new SecondFactorPage(page);
  await signIn.goto("/account/sessions");
  await signIn.signIn(user.email, user.password);
  await second.enterCode(totpCode(key, 1));
  await expect(page).toHaveURL(`${BASE_URL}/account/sessions`);

  await page.context().clearCookies();
  await signIn.goto();
  await signIn.signIn(user.email, user.password);
  await expect(page).toHaveURL(`${BASE_URL}/signin/second-factor`);
  await second.enterRecoveryCode(codes[3]!);
  await expect(page).toHaveURL(`${BASE_URL}/account`);
  await expect((await SecurityPage.goto(page)).codesLeft).toHaveText("9 of 10 codes left.");
  expect(serverErrors).toEqual([]);
});

test("step-up with JavaScript off: acr_values=multi-factor, a code on the step-up page, back to the app with acr mfa", async ({ page, user }) => {
  const callbacks = await CallbackServer.start();
  try {
    const rp = await RelyingParty.discover(await registerClient("confidential", callbacks.redirectUri));
    await signInAs(page, user);
    const { key } = await (await SecurityPage.goto(page)).enrol();
    const request = await rp.authorizationRequest({ acr_values: ACR.mfa });
    const callback = await callbacks.capture(page, async () => {
      await page.goto(request.url.href);
      await expect(page).toHaveURL((u) => u.pathname === "/signin/step-up");
      const second = new SecondFactorPage(page);
      await second.code.fill(totpCode(key, 1));
      await second.verify.click();
      const consent = new ConsentPage(page);
      await consent.expectFor(rp.registered);
      await consent.allow.click();
    });
    expectCodeCallback(callback, request);
    expect((await rp.exchange(callback, request)).claims()).toMatchObject({ acr: ACR.mfa, amr: ["pwd", "otp", "mfa"] });
  } finally {
    await callbacks.close();
  }
});
