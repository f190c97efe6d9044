// An MCP-style client that identifies itself with a Client ID Metadata Document
// (draft-ietf-oauth-client-id-metadata-document): its client_id is the URL of a JSON document
// served by a tiny local server (http on 127.0.0.1, allowed because the e2e server runs with
// CLIENT_METADATA_ALLOW_PRIVATE=1). openid-client drives the code flow with PKCE and no secret;
// the browser signs in and consents.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "./support";
import { CallbackServer, ConsentPage, RelyingParty, expectCodeCallback, signInForAuthorization, type RegisteredClient } from "./support/oauth";

let documents: Server;
let docOrigin = "";
const served = new Map<string, unknown>();
let callbacks: CallbackServer;

test.beforeAll(async () => {
  callbacks = await CallbackServer.start();
  documents = createServer((req, res) => {
    const body = served.get(req.url ?? "");
    if (body === undefined) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": "application/json", "cache-control": "max-age=60" });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((r) => documents.listen(0, "127.0.0.1", r));
  docOrigin = `http://127.0.0.1:${(documents.address() as AddressInfo).port}`;
});

test.afterAll(async () => {
  await callbacks?.close();
  documents?.closeAllConnections();
  await new Promise((r) => documents?.close(r));
});

test("a client ID metadata document client completes the code flow, refreshes and revokes", async ({ page, user }) => {
  const clientId = `${docOrigin}/mcp/client.json`;
  const registered: RegisteredClient = { kind: "public", name: "Notes MCP", clientId, redirectUri: callbacks.redirectUri };
  served.set("/mcp/client.json", {
    client_id: clientId,
    client_name: registered.name,
    redirect_uris: [registered.redirectUri],
    grant_types: ["authorization_code", "refresh_token"],
    response_types: ["code"],
    token_endpoint_auth_method: "none",
  });

  const rp = await RelyingParty.discover(registered);
  expect(rp.server.client_id_metadata_document_supported).toBe(true);
  expect(rp.server.code_challenge_methods_supported).toEqual(["S256"]);

  const request = await rp.authorizationRequest();
  const callback = await callbacks.capture(page, async () => {
    await page.goto(request.url.href);
    await signInForAuthorization(page, user);
    const consent = new ConsentPage(page);
    await consent.expectFor(registered);
    await expect(page.getByTestId("document-host")).toHaveText(`from ${new URL(docOrigin).host}`);
    await expect(page.getByTestId("unverified-warning")).toBeVisible();
    await expect(page.getByRole("alert").filter({ hasText: "This app runs on your own computer" })).toBeVisible();
    await consent.allow.click();
  });
  expectCodeCallback(callback, request);
  const tokens = await rp.exchange(callback, request);
  expect(tokens.claims()?.aud).toBe(clientId);
  const refreshed = await rp.refresh(tokens.refresh_token!);
  expect(refreshed.access_token).toBeTruthy();
  await rp.revoke(refreshed.refresh_token!);
});

test("a document whose client_id is not its URL stops at an error page, never at the client", async ({ page }) => {
  const clientId = `${docOrigin}/mcp/impostor.json`;
  served.set("/mcp/impostor.json", { client_id: "https://well-known-app.example/client.json", redirect_uris: [callbacks.redirectUri] });
  const hitsBefore = callbacks.hits.length;
  const q = new URLSearchParams({
    client_id: clientId,
    redirect_uri: callbacks.redirectUri,
    response_type: "code",
    scope: "openid",
    state: "s",
    code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
    code_challenge_method: "S256",
  });
  const response = await page.goto(`/oauth/authorize?${q}`);
  expect(response?.status()).toBe(400);
  await expect(page.getByRole("heading", { name: "Application could not be verified" })).toBeVisible();
  await page.getByText("Details for developers").click();
  await expect(page.locator("pre")).toContainText('is not exactly the URL it was fetched from');
  expect(callbacks.hits.length).toBe(hitsBefore);
});
