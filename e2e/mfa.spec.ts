// Two-step verification in a real browser: TOTP set-up on the security page (the code computed
// here from the manual key the page shows), sign-in with a code, a replayed code refused, sign-in
// with a recovery code (each works once), the MFA policy forcing set-up before any session, the
// admin's "Reset second factors", and next-auth's own credentials endpoint sending a user with a
// second factor to the code step instead of signing them in.
import { BASE_URL } from "./env";
import { SignInPage, createUser, disableUser, expect, test } from "./support";
import { AdminUserPage, allAuditEventText, signInAs, signInAsAdmin } from "./support/admin";
import { SecondFactorPage, SecurityPage, setMfaPolicy, totpCode } from "./support/mfa";

const WRONG_CODE = "That code is not right. Enter the 6-digit code your authenticator app shows now.";
const WRONG_RECOVERY = "That recovery code is not right, or it has been used already.";

/** The audit events of one type about one user, as their data objects. */
async function events(type: string, subjectId: string): Promise<Record<string, unknown>[]> {
  return (await allAuditEventText())
    .map((t) => JSON.parse(t) as { type: string; subjectId: string | null; data: string | null })
    .filter((e) => e.type === type && e.subjectId === subjectId)
    .map((e) => (e.data ? (JSON.parse(e.data) as Record<string, unknown>) : {}));
}

test("TOTP: set up with the QR code's manual key, sign in with a code; the same code again is refused", async ({ page, user }) => {
  test.setTimeout(60_000);
  await signInAs(page, user);
  const security = await SecurityPage.goto(page);
  await expect(page.getByRole("img", { name: "QR code for your authenticator app" })).toBeVisible();
  const { key, codes } = await security.enrol();
  for (const c of codes) expect(c).toMatch(/^[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}$/);
  expect(new Set(codes).size).toBe(10);
  await page.screenshot({ path: "/tmp/mfa-enrolled.png", fullPage: true });

  // Signed out: the password alone no longer opens a session.
  await page.context().clearCookies();
  const signIn = new SignInPage(page);
  const second = new SecondFactorPage(page);
  await signIn.goto("/account/apps");
  await signIn.signIn(user.email, user.password);
  await expect(page).toHaveURL(`${BASE_URL}/signin/second-factor`);
  await expect(page.getByRole("heading", { level: 1, name: "Two-step verification" })).toBeVisible();
  await page.screenshot({ path: "/tmp/mfa-second-factor.png", fullPage: true });
  expect((await page.request.get("/account", { maxRedirects: 0 })).headers().location).toContain("/signin");
  // The next step's code (inside the ±1 step window), so that it is later than the enrolment's.
  const code = totpCode(key, 1);
  await second.code.fill("000000" === code ? "111111" : "000000");
  await second.verify.click();
  await expect(second.alert).toHaveText(WRONG_CODE);
  await second.enterCode(code);
  await expect(page).toHaveURL(`${BASE_URL}/account/apps`);
  expect((await events("signin.succeeded", user.id)).at(-1)).toMatchObject({ methods: "pwd otp mfa" });
  expect(await events("mfa.used", user.id)).toHaveLength(1);
  expect(await events("mfa.failed", user.id)).toEqual([{ method: "totp", reason: "wrong" }]);

  // The same code again, still inside its window: refused (RFC 6238 §5.2).
  await page.context().clearCookies();
  await signIn.goto();
  await signIn.signIn(user.email, user.password);
  await second.enterCode(code);
  await expect(second.alert).toHaveText(WRONG_CODE);
  await expect(page).toHaveURL(`${BASE_URL}/signin/second-factor`);
  expect((await events("mfa.failed", user.id)).at(-1)).toEqual({ method: "totp", reason: "replayed" });
});

test("recovery codes: one signs in once (typed in capitals without dashes), the count goes down, the same code again is refused", async ({ page, user }) => {
  test.setTimeout(60_000);
  await signInAs(page, user);
  const { codes } = await (await SecurityPage.goto(page)).enrol();
  await page.context().clearCookies();
  const signIn = new SignInPage(page);
  const second = new SecondFactorPage(page);
  await signIn.goto();
  await signIn.signIn(user.email, user.password);
  await expect(page).toHaveURL(`${BASE_URL}/signin/second-factor`);
  await second.enterRecoveryCode(codes[0]!.replace(/-/g, "").toUpperCase());
  await expect(page).toHaveURL(`${BASE_URL}/account`);
  expect((await events("mfa.recovery_code_used", user.id)).at(-1)).toEqual({ left: 9 });
  expect((await events("signin.succeeded", user.id)).at(-1)).toMatchObject({ methods: "pwd otp mfa" });
  await expect((await SecurityPage.goto(page)).codesLeft).toHaveText("9 of 10 codes left.");

  await page.context().clearCookies();
  await signIn.goto();
  await signIn.signIn(user.email, user.password);
  await expect(page).toHaveURL(`${BASE_URL}/signin/second-factor`);
  await second.enterRecoveryCode(codes[0]!);
  await expect(second.alert).toHaveText(WRONG_RECOVERY);
});

test("MFA policy for admins: an admin without a second factor sets one up during sign-in, before any session", async ({ page }) => {
  test.setTimeout(60_000);
  const admin = await createUser({ prefix: "policy-admin", role: "admin" });
  // The policy is global: on only for this admin's password step (other specs run at the same time).
  await setMfaPolicy("admins", admin.id);
  const signIn = new SignInPage(page);
  try {
    await signIn.goto("/admin");
    await signIn.signIn(admin.email, admin.password);
    await expect(page).toHaveURL(`${BASE_URL}/signin/second-factor`);
  } finally {
    await setMfaPolicy("off", admin.id);
  }
  await expect(page.getByRole("heading", { level: 1, name: "Set up two-step verification" })).toBeVisible();
  expect((await page.request.get("/account", { maxRedirects: 0 })).headers().location).toContain("/signin");
  await page.screenshot({ path: "/tmp/mfa-policy-enrol.png", fullPage: true });
  const security = new SecurityPage(page);
  const key = (await security.manualKey.innerText()).trim();
  await security.code.fill("123456" === totpCode(key) ? "654321" : "123456");
  await security.turnOn.click();
  await expect(page.getByRole("alert").filter({ hasText: "That code is not right" })).toBeVisible();
  // The same key is shown again after the wrong code.
  await expect(security.manualKey).toHaveText(key);
  await security.code.fill(totpCode(key));
  await security.turnOn.click();
  await expect(security.recoveryCodes).toHaveCount(10);
  await page.getByRole("button", { name: "I have saved my codes, continue" }).click();
  await expect(page).toHaveURL(`${BASE_URL}/admin`);
  expect((await events("signin.succeeded", admin.id)).at(-1)).toMatchObject({ methods: "pwd otp mfa" });
  expect(await events("mfa.totp_enrolled", admin.id)).toEqual([{ recoveryCodes: 10 }]);
});

test("admin reset of second factors: the user signs in with the password alone afterwards", async ({ page, browser, user }) => {
  test.setTimeout(60_000);
  await signInAs(page, user);
  await (await SecurityPage.goto(page)).enrol();

  const adminContext = await browser.newContext();
  const adminPage = await adminContext.newPage();
  await signInAsAdmin(adminPage);
  const userPage = await AdminUserPage.goto(adminPage, user.id);
  await expect(adminPage.getByTestId("user-factors")).toContainText("On since");
  await adminPage.getByRole("button", { name: "Reset second factors" }).click();
  await adminPage.getByRole("button", { name: "Yes, reset second factors" }).click();
  await expect(userPage.status).toHaveText("Reset. Removed the authenticator app, 10 recovery codes and 0 passkeys.");
  await expect(adminPage.getByTestId("user-factors")).toContainText("Off");
  await adminContext.close();
  expect(await events("mfa.reset_by_admin", user.id)).toEqual([{ totp: true, recoveryCodes: 10, passkeys: 0 }]);

  // The user's session stayed; a new sign-in needs the password only (the policy is off).
  await page.goto("/account");
  await expect(page).toHaveURL(`${BASE_URL}/account`);
  await page.context().clearCookies();
  await signInAs(page, user);
});

test("next-auth's credentials endpoint sends a user with a second factor to the code step, with no session", async ({ page, user }) => {
  await signInAs(page, user);
  const { key } = await (await SecurityPage.goto(page)).enrol();
  await page.context().clearCookies();
  const csrf = (await (await page.request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const r = await page.request.post("/api/auth/callback/credentials", {
    form: { email: user.email, password: user.password, csrfToken: csrf.csrfToken, callbackUrl: "/account/sessions" },
    maxRedirects: 0,
  });
  expect(r.status()).toBe(302);
  // next-auth's error route, which hands the code to the sign-in page (pages.error).
  expect(r.headers().location).toBe(`${BASE_URL}/api/auth/error?error=second_factor`);
  const cookies = await page.context().cookies();
  expect(cookies.map((c) => c.name)).not.toContain("next-auth.session-token");
  expect(cookies.find((c) => c.name === "latchkey-pending-signin")).toMatchObject({ path: "/signin", httpOnly: true, sameSite: "Lax" });
  await page.goto("/api/auth/error?error=second_factor");
  await expect(page).toHaveURL(`${BASE_URL}/signin/second-factor`);
  // The callback path travelled in the pending state.
  await new SecondFactorPage(page).enterCode(totpCode(key, 1));
  await expect(page).toHaveURL(`${BASE_URL}/account/sessions`);
});

test("a user disabled between the password and the code gets no session, even with the right code", async ({ page, user }) => {
  await signInAs(page, user);
  const { key } = await (await SecurityPage.goto(page)).enrol();
  await page.context().clearCookies();
  const signIn = new SignInPage(page);
  await signIn.goto("/account/apps");
  await signIn.signIn(user.email, user.password);
  await expect(page).toHaveURL(`${BASE_URL}/signin/second-factor`);
  await disableUser(user.email);
  await new SecondFactorPage(page).enterCode(totpCode(key, 1));
  await expect(page).toHaveURL(`${BASE_URL}/signin?error=expired&callbackUrl=${encodeURIComponent("/account/apps")}`);
  expect((await page.context().cookies()).map((c) => c.name)).not.toContain("next-auth.session-token");
  expect(await events("mfa.used", user.id)).toEqual([]);
});
