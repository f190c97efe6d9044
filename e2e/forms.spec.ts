// Forms before hydration, malformed server-action arguments and the referrer policy (issue #15).
// Before hydration: the page's scripts are held back (page.route on /_next/static/**.js) for the
// whole test, so every submit below is the browser's own POST of the server-rendered form, as on
// a slow phone that is tapped before its scripts arrive.
import type { Page, Request } from "@playwright/test";
import { BASE_URL } from "./env";
import { SignInPage, createUser, expect, test } from "./support";
import { AdminUserPage, signInAs, signInAsAdmin } from "./support/admin";
import { CallbackServer, ConsentPage, RelyingParty, expectCodeCallback, registerClient } from "./support/oauth";

/** Holds every script of the app until the test ends; returns the requests and any 5xx seen. */
async function holdScripts(page: Page): Promise<{ requests: Request[]; serverErrors: string[]; scriptsHeld: () => number }> {
  let held = 0;
  await page.route(/\/_next\/static\/.*\.js(\?|$)/, async () => {
    held++;
    await new Promise<never>(() => {}); // never answered while the test runs
  });
  const requests: Request[] = [];
  const serverErrors: string[] = [];
  page.on("request", (r) => requests.push(r));
  page.on("response", (r) => {
    if (r.status() >= 500) serverErrors.push(`${r.status()} ${r.request().method()} ${r.url()}`);
  });
  return { requests, serverErrors, scriptsHeld: () => held };
}

test.describe("before the page's scripts have loaded", () => {
  test("Enter on the sign-in form posts it (no password in any URL) and signs in", async ({ page, user }) => {
    const { requests, serverErrors, scriptsHeld } = await holdScripts(page);
    await page.goto("/signin?callbackUrl=%2Faccount", { waitUntil: "domcontentloaded" });
    const signIn = new SignInPage(page);
    await signIn.email.fill(user.email);
    await signIn.password.fill(user.password);
    await signIn.password.press("Enter");
    await expect(page).toHaveURL(`${BASE_URL}/account`);
    await expect(page.getByRole("heading", { level: 1, name: "Your account" })).toBeVisible();
    expect(scriptsHeld(), "the page had scripts, and they were held back").toBeGreaterThan(0);

    const posts = requests.filter((r) => r.method() === "POST");
    expect(posts.map((r) => new URL(r.url()).pathname)).toEqual(["/signin"]);
    for (const r of requests) {
      expect(r.url(), "no password in a URL").not.toContain(encodeURIComponent(user.password));
      expect(r.url()).not.toContain("password=");
    }
    expect(serverErrors).toEqual([]);
  });

  test("Allow on the consent screen posts the decision and the app gets its code, not a 500", async ({ page, user }) => {
    const callbacks = await CallbackServer.start();
    try {
      const rp = await RelyingParty.discover(await registerClient("confidential", callbacks.redirectUri));
      const request = await rp.authorizationRequest();
      const { serverErrors, scriptsHeld } = await holdScripts(page);
      const callback = await callbacks.capture(page, async () => {
        await page.goto(request.url.href, { waitUntil: "domcontentloaded" });
        await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Foauth%2Fauthorize%2Fcontinue/);
        const signIn = new SignInPage(page);
        await signIn.signIn(user.email, user.password);
        await expect(page).toHaveURL(/\/consent\?request=/);
        await new ConsentPage(page).allow.click();
      });
      expectCodeCallback(callback, request);
      expect((await rp.exchange(callback, request)).access_token).toBeTruthy();
      expect(scriptsHeld()).toBeGreaterThan(0);
      expect(serverErrors).toEqual([]);
    } finally {
      await callbacks.close();
    }
  });
});

/** The ids of the server actions the page's forms post to (React writes them into the HTML). */
async function actionIds(page: Page): Promise<string[]> {
  const bound = await page.locator('input[type="hidden"][name^="$ACTION_"][name$=":0"]').evaluateAll((els) =>
    els.map((e) => (JSON.parse((e as HTMLInputElement).value) as { id: string }).id),
  );
  const plain = await page.locator('input[type="hidden"][name^="$ACTION_ID_"]').evaluateAll((els) =>
    els.map((e) => (e as HTMLInputElement).name.slice("$ACTION_ID_".length)),
  );
  return [...new Set([...bound, ...plain])];
}

test.describe("a server action called with malformed arguments", () => {
  // A crafted request: the action's id with arguments that are not (prev state, FormData).
  const BODIES = ["[]", "[null, 1]", '[{"x":1}, "a string"]', '[null, {"get": 1}]'];

  async function expectClearAnswers(page: Page, path: string): Promise<number> {
    await page.goto(path);
    const ids = await actionIds(page);
    expect(ids.length, `actions on ${path}`).toBeGreaterThan(0);
    for (const id of ids) {
      for (const body of BODIES) {
        const res = await page.request.post(path, {
          headers: { "next-action": id, "content-type": "text/plain;charset=UTF-8", accept: "text/x-component", origin: BASE_URL },
          data: body,
          maxRedirects: 0,
        });
        const text = await res.text();
        expect(res.status(), `${path} action ${id} with ${body}: ${text.slice(0, 200)}`).toBeLessThan(500);
        expect(text, "no stack trace").not.toMatch(/\bat .+\.(js|ts):\d+/);
        expect(text).not.toContain('"digest"');
      }
    }
    return ids.length;
  }

  test("sign-in, sign-up and password change answer with their own error, never a 500", async ({ page, user }) => {
    await expectClearAnswers(page, "/signin");
    await expectClearAnswers(page, "/signup");
    await signInAs(page, user);
    await expectClearAnswers(page, "/account/password");
    await expectClearAnswers(page, "/account");
  });

  test("dashboard and admin actions answer with their own error, never a 500", async ({ page }) => {
    test.setTimeout(60_000);
    const target = await createUser({ prefix: "malformed-target" });
    await signInAsAdmin(page);
    await expectClearAnswers(page, `/admin/users/${target.id}`);
    await expectClearAnswers(page, "/dashboard/clients/new");
    // (The header's Sign out form was among them: it takes no arguments, so it signed the admin out.)
    await signInAsAdmin(page);
    expect(await (await AdminUserPage.goto(page, target.id)).badges(), "nothing was done to the user").toEqual(["user"]);
  });
});

test.describe("a server-action body that is not server-action data", () => {
  // Before Next's decoder sees them (lib/http/server-action-body.ts): each of these was a 500.
  const part = (name: string, value: string) => `--x\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  const multipart = (...parts: string[]) => `${parts.join("")}--x--\r\n`;

  test("a 400 page for each, never a 5xx; a well-formed call still works", async ({ page }) => {
    await page.goto("/signin");
    const [id] = await actionIds(page);
    expect(id).toBeTruthy();
    const send = (headers: Record<string, string>, data: string) =>
      page.request.post("/signin", { headers: { origin: BASE_URL, ...headers }, data, maxRedirects: 0 });
    const text = { "next-action": id!, "content-type": "text/plain;charset=UTF-8" };
    const fetchForm = { "next-action": id!, "content-type": "multipart/form-data; boundary=x" };
    const nativeForm = { "content-type": "multipart/form-data; boundary=x" };
    const bad: Array<[Record<string, string>, string]> = [
      [text, "not json"],
      [text, '"$@1"'],
      [text, '["$Q1"]'],
      [text, ""],
      [text, '"$undefined"'],
      [text, '["$W1"]'],
      [fetchForm, "garbage"],
      [fetchForm, multipart(part("0", "not json"))],
      [fetchForm, multipart(part("0", '["$Q1"]'))],
      [fetchForm, multipart(part("0", '["$Q1"]'), part("1", "[[1,2]]"))],
      [nativeForm, multipart(part("$ACTION_REF_1", ""), part("$ACTION_1:0", "garbage"))],
      [nativeForm, multipart(part("$ACTION_REF_1", ""), part("$ACTION_1:0", JSON.stringify({ id, bound: "$@1" })), part("$ACTION_1:1", "zz"))],
    ];
    for (const [headers, data] of bad) {
      const res = await send(headers, data);
      const body = await res.text();
      expect([res.status(), res.headers()["content-type"]], `${JSON.stringify(data)}: ${body.slice(0, 120)}`).toEqual([400, "text/html; charset=utf-8"]);
      expect(body).toContain("This form could not be read");
    }
    // Well-formed: the action's own answer (its validation error), not the 400 page.
    const ok = await send(text, '[{"error":"$undefined"},"$K1"]');
    expect(ok.status()).toBe(200);
    expect(await ok.text()).not.toContain("This form could not be read");
  });
});

test("Referrer-Policy is same-origin on portal pages and protocol endpoints", async ({ request }) => {
  for (const path of ["/signin", "/.well-known/openid-configuration", "/oauth/authorize"]) {
    const res = await request.get(path, { maxRedirects: 0 });
    expect(res.headers()["referrer-policy"], path).toBe("same-origin");
  }
});

test("a cross-origin navigation from the portal carries no Referer", async ({ page }) => {
  const callbacks = await CallbackServer.start();
  const referers: (string | undefined)[] = [];
  page.on("request", (r) => {
    if (r.url().startsWith(callbacks.origin)) referers.push(r.headers().referer);
  });
  try {
    await page.goto("/signin?callbackUrl=%2Faccount%3Fsecret%3Dstate");
    await page.evaluate((href) => {
      const a = document.createElement("a");
      a.href = href;
      a.textContent = "out";
      document.body.append(a);
    }, `${callbacks.origin}/elsewhere`);
    await page.getByRole("link", { name: "out" }).click();
    await expect(page).toHaveURL(`${callbacks.origin}/elsewhere`);
    expect(referers).toEqual([undefined]);
  } finally {
    await callbacks.close();
  }
});

test("screenshots: error summaries and confirm steps on a phone and a desktop", async ({ browser }) => {
  test.setTimeout(90_000);
  const dev = await createUser({ prefix: "shots-dev", role: "developer" });
  const target = await createUser({ prefix: "shots-target" });
  for (const vp of [
    { name: "phone", width: 390, height: 844 },
    { name: "desktop", width: 1280, height: 900 },
  ]) {
    const context = await browser.newContext({ baseURL: BASE_URL, viewport: { width: vp.width, height: vp.height } });
    const page = await context.newPage();
    const shot = (name: string) => page.screenshot({ path: test.info().outputPath(`${name}-${vp.name}.png`), fullPage: true });

    await page.goto("/signup");
    await page.getByLabel("Name", { exact: true }).fill("Ada");
    await page.getByLabel("Email", { exact: true }).fill("not-an-email");
    await page.getByLabel("Password", { exact: true }).fill("short");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.getByTestId("error-summary")).toBeFocused();
    await expect(page.getByLabel("Password", { exact: true }), "with scripts, what was typed stays").toHaveValue("short");
    await shot("signup-errors");

    await signInAs(page, dev);
    await page.goto("/dashboard/clients/new");
    await page.getByLabel("Name", { exact: true }).fill("Shots app");
    await page.getByLabel("Redirect URIs", { exact: true }).fill("http://example.com/cb");
    await page.getByRole("button", { name: "Register client" }).click();
    await expect(page.getByTestId("error-summary")).toBeFocused();
    await expect(page.getByLabel("Name", { exact: true })).toHaveValue("Shots app");
    await shot("client-form-errors");
    await page.context().clearCookies();

    await signInAsAdmin(page);
    await page.goto(`/admin/users/${target.id}`);
    await page.getByRole("button", { name: "Disable user" }).click();
    await expect(page.getByTestId("confirm-step")).toBeFocused();
    await shot("admin-disable-confirm");
    await page.getByRole("button", { name: "Cancel" }).click();
    await expect(page.getByRole("button", { name: "Disable user" })).toBeFocused();
    await context.close();
  }
});
