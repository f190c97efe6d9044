// A browser single-page app on its own origin (issue 17 §4): oidc-client-ts, loaded from
// node_modules, signs in with PKCE through the real sign-in and consent pages, calls userinfo,
// renews with its refresh token, revokes and signs out, all cross-origin in Chromium with web
// security on. The same page served from an origin the client did not register is refused by
// CORS. The app (e2e/spa/index.html) writes what each step did into #out.
import { readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Page } from "@playwright/test";
import { BASE_URL, REPO_ROOT } from "./env";
import { cli, expect, test } from "./support";
import { ConsentPage, signInForAuthorization } from "./support/oauth";

// The library's browser bundle (the global `oidc`), as an app would ship it: no CDN.
const LIBRARY = fileURLToPath(new URL("dist/browser/oidc-client-ts.min.js", import.meta.resolve("oidc-client-ts/package.json")));
const APP = readFileSync(path.join(REPO_ROOT, "e2e/spa/index.html"), "utf8");

/** Serves the app, the library and its configuration on 127.0.0.1: reached as localhost and as 127.0.0.1, two origins. */
function startAppServer(config: () => object): Promise<{ port: number; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://app");
    const send = (type: string, body: string | Buffer) => {
      res.writeHead(200, { "Content-Type": type, "Cache-Control": "no-store" });
      res.end(body);
    };
    if (url.pathname === "/") send("text/html; charset=utf-8", APP);
    else if (url.pathname === "/oidc-client-ts.min.js") send("text/javascript", readFileSync(LIBRARY));
    else if (url.pathname === "/config.js") send("text/javascript", `window.SPA_CONFIG = ${JSON.stringify(config())};`);
    else {
      res.writeHead(404);
      res.end();
    }
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({
        port: (server.address() as AddressInfo).port,
        close: () => new Promise<void>((r) => server.close(() => r())),
      }),
    ),
  );
}

/** Clicks a button of the app and returns what the step wrote. */
async function run(page: Page, button: string, step = button.toLowerCase()): Promise<Record<string, unknown>> {
  await page.getByRole("button", { name: button, exact: true }).click();
  return output(page, step);
}

async function output(page: Page, step: string): Promise<Record<string, unknown>> {
  const out = page.locator("#out");
  await expect(out).toHaveAttribute("data-step", step);
  return JSON.parse(await out.innerText()) as Record<string, unknown>;
}

test("a single-page app on its own origin: PKCE sign-in, userinfo, refresh, revocation and sign-out through CORS", async ({ page, user }) => {
  let clientId = "";
  const app = await startAppServer(() => ({ authority: BASE_URL, clientId }));
  try {
    const appOrigin = `http://localhost:${app.port}`;
    const created = (await cli([
      "client", "create",
      "--name", "E2E single-page app",
      "--public",
      "--redirect-uri", `${appOrigin}/`,
      "--post-logout-redirect-uri", `${appOrigin}/?signed-out`,
      "--scope", "openid profile email offline_access",
    ])) as { client_id: string };
    clientId = created.client_id;
    const consoleErrors: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") consoleErrors.push(m.text());
    });

    // Sign in: the library's redirect, the portal's pages, back with a code, redeemed cross-origin.
    await page.goto(`${appOrigin}/`);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await signInForAuthorization(page, user);
    await new ConsentPage(page).allow.click();
    await expect(page).toHaveURL(`${appOrigin}/`);
    const signedIn = await output(page, "callback");
    expect(signedIn).toEqual({ ok: true, sub: user.id, scope: "openid profile email offline_access", hasRefreshToken: true });

    // Userinfo with the access token: a preflighted request (Authorization header).
    expect(await run(page, "Call userinfo", "userinfo")).toEqual({
      ok: true,
      status: 200,
      claims: { sub: user.id, name: user.name, email: user.email, email_verified: expect.any(Boolean), updated_at: expect.any(Number) },
    });

    // Renew: oidc-client-ts's signinSilent uses the refresh token; Latchkey rotates it.
    expect(await run(page, "Renew")).toEqual({ ok: true, newAccessToken: true, rotated: true, sub: user.id });
    expect((await run(page, "Call userinfo", "userinfo")).status).toBe(200);

    // The app's own origin reads token endpoint errors too (invalid_grant, not a network error).
    expect(await run(page, "Probe token endpoint", "probe")).toMatchObject({ ok: true, issuer: BASE_URL, token: { status: 400, error: "invalid_grant" } });

    // Revoke (RFC 7009, cross-origin): the refresh token is dead at once.
    expect(await run(page, "Revoke")).toMatchObject({ ok: true, refreshAfterRevocation: { status: 400, error: "invalid_grant" } });

    // Sign out: RP-initiated logout back to the app.
    await page.getByRole("button", { name: "Sign out", exact: true }).click();
    await expect(page).toHaveURL(`${appOrigin}/?signed-out`);
    expect(await output(page, "signed-out")).toEqual({ ok: true, user: null });
    // Nothing was kept from the app (the 400s of the probes are logged, as every failed fetch is).
    expect(consoleErrors.filter((e) => /CORS/.test(e))).toEqual([]);

    // The same app on an origin the client never registered: discovery is public, the token
    // endpoint's answer is kept from the page by the browser.
    await page.goto(`http://127.0.0.1:${app.port}/`);
    const probe = await run(page, "Probe token endpoint", "probe");
    expect(probe).toEqual({ ok: true, issuer: BASE_URL, token: { blocked: "TypeError: Failed to fetch" } });
    expect(consoleErrors.join("\n")).toMatch(/has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header/);
  } finally {
    await app.close();
  }
});
