// Sign-in locks that cannot be turned against the account's owner (issue #15): attempts are
// counted before the password is checked (parallel guesses cannot outrun the lock), a browser
// that signed in before keeps working when strangers lock the account, the lock page says what
// to do, and an admin (console or CLI) can unlock.
import { request, type Page } from "@playwright/test";
import { BASE_URL, THROTTLE } from "./env";
import { AdminUserPage, allAuditEventText, signInAsAdmin } from "./support/admin";
import { MESSAGES, SignInPage, cli, expect, test } from "./support";

/** A client that never signed in (no device cookie), posting to next-auth's credentials callback. */
async function stranger() {
  const api = await request.newContext({ baseURL: BASE_URL });
  const { csrfToken } = (await (await api.get("/api/auth/csrf")).json()) as { csrfToken: string };
  /** One attempt; the refusal code the portal answered with ("invalid", "wait:4", "locked:600"), or null on success. */
  const attempt = async (email: string, password: string): Promise<string | null> => {
    const r = await api.post("/api/auth/callback/credentials", {
      form: { email, password, csrfToken, json: "true" },
      maxRedirects: 0,
    });
    const { url } = (await r.json()) as { url: string };
    return new URL(url).searchParams.get("error");
  };
  return { api, attempt };
}

/** `n` wrong passwords at once from a stranger; returns the refusal codes. */
async function parallelGuesses(email: string, n: number): Promise<(string | null)[]> {
  const s = await stranger();
  try {
    return await Promise.all(Array.from({ length: n }, (_, i) => s.attempt(email, `wrong-guess-${i}`)));
  } finally {
    await s.api.dispose();
  }
}

/** Wrong passwords from a stranger, waiting out each slow-down, until the account is locked. */
async function lockFromElsewhere(email: string): Promise<void> {
  const s = await stranger();
  try {
    for (let i = 0; i < 30; i++) {
      const code = (await s.attempt(email, `wrong-guess-${i}`)) ?? "";
      if (code.startsWith("locked:")) return;
      const wait = /^wait:(\d+)$/.exec(code);
      if (wait) await new Promise((r) => setTimeout(r, Number(wait[1]) * 1000 + 200));
    }
    throw new Error("the account did not lock");
  } finally {
    await s.api.dispose();
  }
}

async function signedInOnAccount(page: Page, email: string, password: string) {
  const signIn = new SignInPage(page);
  await signIn.goto("/account");
  await signIn.signIn(email, password);
  await expect(page).toHaveURL((u) => u.pathname === "/account");
}

test.describe("sign-in lock", () => {
  test("a browser that signed in before is not locked out by strangers; a new one is told what to do", async ({
    page,
    browser,
    user,
  }) => {
    test.setTimeout(90_000);
    // The owner signs in once: the browser gets a device cookie, HttpOnly and SameSite=Lax.
    await signedInOnAccount(page, user.email, user.password);
    const device = (await page.context().cookies()).find((c) => c.name === "latchkey-device");
    expect(device).toMatchObject({ httpOnly: true, sameSite: "Lax", path: "/" });
    expect(device?.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // Signed out again (the session cookie gone; the device cookie stays, as in real life).
    await page.context().clearCookies({ name: /session-token/ });

    // A stranger locks the account.
    await lockFromElsewhere(user.email);

    // A new browser is refused even with the right password, and told what it can do.
    const stranger = await browser.newContext({ baseURL: BASE_URL });
    const other = new SignInPage(await stranger.newPage());
    const text = await other.refusedAttempt(user.email, user.password);
    expect(text).toMatch(MESSAGES.locked);
    expect(text).toContain("Try again in");
    expect(text).toContain("you can still sign in from a browser you have used to sign in to it before, or ask an administrator to unlock it.");

    // The owner's browser signs in.
    await signedInOnAccount(page, user.email, user.password);

    // The CLI unlocks the account (the way in for the last admin), and the new browser gets in.
    const out = await cli(["user", "unlock", "--email", user.email]);
    expect(out).toMatchObject({ id: user.id, email: user.email, unlocked: true });
    await signedInOnAccount(other.page, user.email, user.password);
    await stranger.close();
  });

  test("parallel wrong guesses: at most LOGIN_LOCK_AFTER passwords are checked", async ({ user }) => {
    const codes = await parallelGuesses(user.email, 20);
    expect(codes.every((c) => c !== null && /^(invalid|wait:\d+|locked:\d+)$/.test(c))).toBe(true);
    const out = await cli(["user", "unlock", "--email", user.email]);
    // The counter holds every attempt; the audit log holds one signin.failed per checked password.
    expect(out).toMatchObject({ unlocked: true });
    const failed = (await allAuditEventText())
      .map((row) => JSON.parse(row) as { type: string; subjectId: string | null })
      .filter((e) => e.type === "signin.failed" && e.subjectId === user.id);
    expect(failed.length).toBeGreaterThanOrEqual(1);
    expect(failed.length).toBeLessThanOrEqual(THROTTLE.lockAfter);
  });

  test("an admin sees the lock on the user's page and unlocks it (audited)", async ({ page, browser, user }) => {
    test.setTimeout(90_000);
    await lockFromElsewhere(user.email);
    await signInAsAdmin(page);
    const admin = await AdminUserPage.goto(page, user.id);
    const signInRow = page.locator("dt", { hasText: "Sign-in" }).locator("xpath=following-sibling::dd[1]");
    await expect(signInRow).toContainText("Locked until");
    await page.getByRole("button", { name: "Unlock sign-in", exact: true }).click();
    await expect(admin.page.getByText("Unlocked. They can sign in again now.")).toBeVisible();
    await expect(signInRow).toHaveText("Not locked");

    await page.goto(`/admin/audit?type=user.unlocked&subject=${encodeURIComponent(user.email)}`);
    await expect(page.getByRole("list", { name: "Audit events" }).getByRole("listitem")).toHaveCount(1);

    const fresh = await browser.newContext({ baseURL: BASE_URL });
    await signedInOnAccount(await fresh.newPage(), user.email, user.password);
    await fresh.close();
  });
});
