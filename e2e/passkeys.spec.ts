// Passkeys in real Chromium with its virtual authenticator (DevTools protocol, WebAuthn domain):
// register two named passkeys, sign in usernameless with one, see "Last used" change, remove one,
// and a removed passkey no longer signs in.
// They browse http://localhost:<port>: an IP address cannot be a WebAuthn RP ID (e2e/support/passkeys.ts).
import { BASE_URL } from "./env";
import { alerts, expect, test } from "./support";
import { addPasskey, autofillDeclined, item, LOCAL, recordCredentialRequests, signInWithPassword, signOut, VirtualAuthenticators } from "./support/passkeys";
import { rowsOfUser } from "./support/lifecycle";
import { CallbackServer, ConsentPage, expectCodeCallback, registerClient, RelyingParty, type AuthorizationRequest } from "./support/oauth";

test.use({ baseURL: LOCAL });

test("register two passkeys, sign in with one (usernameless), last used, remove one, and it no longer signs in", async ({ page, context, user }) => {
  await recordCredentialRequests(context);
  const authenticators = await VirtualAuthenticators.enable(context, page);
  const laptop = await authenticators.add();

  await signInWithPassword(page, user, "/account/passkeys");
  await expect(page.getByText("You have no passkeys yet.")).toBeVisible();
  const noCodes = page.getByText("You have no recovery codes.");
  await expect(noCodes).toHaveCount(0); // no passkey yet: nothing to recover
  await addPasskey(page, "Work laptop");
  await expect(page).toHaveURL((u) => u.pathname === "/account/passkeys" && u.searchParams.get("added") === "1");
  await expect(page.getByText("Your passkey was added.")).toBeVisible();
  // A passkey is a second factor: without recovery codes the page points to where they are made.
  await expect(noCodes).toBeVisible();
  await expect(page.getByRole("link", { name: "Make recovery codes" })).toHaveAttribute("href", "/account/security");
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

  // Usernameless sign-in with the button: no email typed.
  await signOut(page);
  await page.goto(`/signin?callbackUrl=${encodeURIComponent("/account/passkeys")}`);
  await autofillDeclined(page);
  const laptop2 = await authenticators.add(laptopCreds);
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
  // Unplugged before signing out: the sign-in page that follows would otherwise sign in at once (autofill).
  await authenticators.unplug(laptop2);
  await signOut(page);
  await page.goto("/signin");
  await autofillDeclined(page);
  const laptop3 = await authenticators.add(laptopCreds);
  await page.getByRole("button", { name: "Sign in with a passkey" }).click();
  await expect(alerts(page)).toHaveText("That passkey did not work. Try another one, or sign in another way.");
  await expect(page).toHaveURL((u) => u.pathname === "/signin");

  // The phone's still works.
  await authenticators.unplug(laptop3);
  await authenticators.add(phoneCreds);
  await page.getByRole("button", { name: "Sign in with a passkey" }).click();
  await expect(page).toHaveURL((u) => u.pathname === "/account");
});

test("delete the account with a passkey instead of the password: the passkey confirms this session, then no password is asked", async ({ page, context, user }) => {
  const authenticators = await VirtualAuthenticators.enable(context, page);
  await authenticators.add();
  await signInWithPassword(page, user, "/account/passkeys");
  await addPasskey(page, "Phone");
  await expect(page.getByText("Your passkey was added.")).toBeVisible();

  await page.goto("/account/delete");
  await expect(page.getByLabel("Your password", { exact: true })).toBeVisible(); // a password-only session so far
  await page.getByRole("button", { name: "Confirm with a passkey instead of your password" }).click();
  await expect(page).toHaveURL((u) => u.pathname === "/account/delete");
  await expect(page.getByText("Confirmed with your passkey.")).toBeVisible();
  await expect(page.getByLabel("Your password", { exact: true })).toHaveCount(0);
  await page.getByRole("button", { name: "Yes, delete my account", exact: true }).click();
  await expect(page).toHaveURL((u) => u.pathname === "/account/deleted");
  expect(await rowsOfUser("User", user.id)).toBe(0);
});

test("conditional UI: the Email field offers passkeys, and choosing one signs in without a click on the button", async ({ page, context, user }) => {
  await recordCredentialRequests(context);
  const authenticators = await VirtualAuthenticators.enable(context, page);
  const laptop = await authenticators.add();
  await signInWithPassword(page, user, "/account/passkeys");
  await addPasskey(page, "Laptop");
  await expect(page.getByText("Your passkey was added.")).toBeVisible();
  const creds = await authenticators.unplug(laptop);
  await signOut(page);
  await authenticators.add(creds);
  // A fresh sign-in page with the authenticator there: its autofill request is answered by the
  // virtual authenticator (as a user picking the passkey in the Email field's suggestions would).
  await page.goto(`/signin?callbackUrl=${encodeURIComponent("/account/passkeys")}`);
  await expect(page).toHaveURL((u) => u.pathname === "/account/passkeys");
  await expect(item(page, "Laptop").getByTestId("passkey-last-used")).toHaveText(/UTC$/);
});

test("the sign-in page on the loopback IP points to localhost for passkeys", async ({ page }) => {
  await page.goto(`${BASE_URL}/signin`);
  await expect(page.getByRole("link", { name: LOCAL })).toHaveAttribute("href", `${LOCAL}/signin`);
  await expect(page.getByRole("button", { name: "Sign in with a passkey" })).toHaveCount(0);
});

test("a passkey as the second factor after the password", async ({ page, context, user }) => {
  await recordCredentialRequests(context);
  const authenticators = await VirtualAuthenticators.enable(context, page);
  const key = await authenticators.add();
  await signInWithPassword(page, user, "/account/passkeys");
  await addPasskey(page, "Security key");
  await expect(page.getByText("Your passkey was added.")).toBeVisible();
  const keyCreds = await authenticators.unplug(key);
  await signOut(page);

  // With a passkey registered, the password alone no longer signs in (the pending sign-in).
  await page.goto(`/signin?callbackUrl=${encodeURIComponent("/account/sessions")}`);
  await autofillDeclined(page);
  await page.getByLabel("Email", { exact: true }).fill(user.email);
  await page.getByLabel("Password", { exact: true }).fill(user.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL((u) => u.pathname === "/signin/second-factor");
  await authenticators.add(keyCreds);
  await expect(page.getByRole("button", { name: "Use a passkey" })).toBeVisible();
  await page.screenshot({ path: "/tmp/passkeys-second-factor.png", fullPage: true });
  await page.getByRole("button", { name: "Use a passkey" }).click();
  await expect(page).toHaveURL((u) => u.pathname === "/account/sessions");
});

test.describe("tokens of a passkey sign-in", () => {
  let callbacks: CallbackServer;
  test.beforeAll(async () => {
    callbacks = await CallbackServer.start();
  });
  test.afterAll(async () => {
    await callbacks?.close();
  });

  /** The authorization request, sent to the localhost origin (where passkeys work). */
  const onLocalhost = (request: AuthorizationRequest) => request.url.href.replace(BASE_URL, LOCAL);

  test("acr_values=phr steps a password session up with a passkey; a passkey sign-in's ID token says amr hwk user mfa", async ({ page, context, user }) => {
    await recordCredentialRequests(context);
    const rp = await RelyingParty.discover(await registerClient("public", callbacks.redirectUri));
    const authenticators = await VirtualAuthenticators.enable(context, page);
    const laptop = await authenticators.add();
    // Signed in with the password only (amr pwd), then a passkey added.
    await signInWithPassword(page, user, "/account/passkeys");
    await addPasskey(page, "Laptop");
    await expect(page.getByText("Your passkey was added.")).toBeVisible();

    // The app asks for a phishing-resistant sign-in: the step-up page, a passkey, consent, the code.
    const stepped = await rp.authorizationRequest({ acr_values: "phr" });
    const first = await callbacks.capture(page, async () => {
      await page.goto(onLocalhost(stepped));
      await expect(page).toHaveURL((u) => u.pathname === "/signin/step-up" && u.searchParams.get("acr") === "phr");
      await page.getByRole("button", { name: "Use a passkey" }).click();
      const consent = new ConsentPage(page);
      await expect(consent.allow).toBeVisible();
      await consent.allow.click();
    });
    expectCodeCallback(first, stepped);
    const steppedClaims = (await rp.exchange(first, stepped)).claims()!;
    expect(steppedClaims.amr).toEqual(["pwd", "hwk", "mfa"]);
    expect(steppedClaims.acr).toBe("phr");

    // Signed out, then in again with the passkey alone (usernameless), through the button.
    await page.goto("/account");
    const laptopCreds = await authenticators.unplug(laptop);
    await signOut(page);
    const request = await rp.authorizationRequest();
    const second = await callbacks.capture(page, async () => {
      await page.goto(onLocalhost(request));
      await expect(page).toHaveURL((u) => u.pathname === "/signin");
      await autofillDeclined(page);
      await authenticators.add(laptopCreds);
      await page.getByRole("button", { name: "Sign in with a passkey" }).click();
    });
    expectCodeCallback(second, request);
    const claims = (await rp.exchange(second, request)).claims()!;
    expect(claims.sub).toBe(user.id);
    expect(claims.amr).toEqual(["hwk", "user", "mfa"]);
    expect(claims.acr).toBe("phr");
  });
});
