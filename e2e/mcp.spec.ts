// The official MCP TypeScript SDK as an MCP client, against the example MCP server
// (examples/mcp-server) protected by the Latchkey under test, as the MCP authorization spec
// (2025-11-25) runs it: the server's 401 points to its protected resource metadata (RFC 9728),
// which names Latchkey; the SDK discovers Latchkey (RFC 8414), registers (RFC 7591) or uses a
// pre-registered client, and sends the user to authorize with PKCE and `resource` (RFC 8707).
// The browser signs in and consents; the SDK redeems the code and calls the tool with a token
// whose audience is the MCP server. A token Latchkey minted for another API is refused.
import { readFileSync } from "node:fs";
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import type { Browser, Page } from "@playwright/test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { UnauthorizedError } from "@modelcontextprotocol/sdk/client/auth.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { FetchLike } from "@modelcontextprotocol/sdk/shared/transport.js";
import { decodeJwt } from "jose";
import { mcpServer } from "../examples/mcp-server/mcp-server";
import { BASE_URL, TEST_TLS } from "./env";
import { cli, createUser, expect, test, type TestUser } from "./support";
import { CallbackServer, signInForAuthorization } from "./support/oauth";
import { RecordingOAuthProvider, withInitialAccessToken } from "./support/mcp-client";
import { createRegistrationToken, REGISTRATION_TOKENS_PAGE, signInTo } from "./support/registration-tokens";
import { createApi, createServiceClient, serve, serviceToken, type CreatedApi } from "./support/resource-servers";

const SCOPE_WORDS = "Use the example MCP server's tools";

let server: Awaited<ReturnType<typeof serve>>;
let mcpUrl: string;
let callbacks: CallbackServer;

/** Another API with a scope of the same name, and a service client to get tokens for it. */
let otherApi: CreatedApi;
let service: { clientId: string; clientSecret: string };
/** A public client registered by hand (`cli client create --public`), as for a desktop MCP client. */
const PRE_REGISTERED = `E2E MCP desktop ${Date.now().toString(36)}`;
let preRegistered: string;

test.beforeAll(async () => {
  // The CLI takes seconds a call: the independent ones run side by side.
  [server, otherApi, service, callbacks] = await Promise.all([
    serve(async (origin) => {
      mcpUrl = `${origin}/mcp`;
      // What the README tells an MCP server's developer to do: register the server's URL as an API.
      await createApi(mcpUrl, [`mcp:tools=${SCOPE_WORDS}`], "Example MCP server");
      return mcpServer({ issuer: BASE_URL, resource: mcpUrl });
    }),
    createApi(`https://other-api.e2e.test/${Date.now().toString(36)}`, ["mcp:tools=Same name, other API"]),
    createServiceClient(),
    CallbackServer.start().then(async (started) => {
      // API scopes need no registration on the client: the API decides which clients may use it.
      const out = await cli(["client", "create", "--public", "--name", PRE_REGISTERED, "--redirect-uri", started.redirectUri]);
      preRegistered = (out as { client_id: string }).client_id;
      return started;
    }),
  ]);
});

test.afterAll(async () => {
  await Promise.all([server?.stop(), callbacks?.close()]);
});

/** An initial access token, created by an admin in the portal (in a browser context of its own). */
async function registrationToken(browser: Browser): Promise<string> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await signInTo(page, await createUser({ prefix: "mcp-admin", role: "admin" }), REGISTRATION_TOKENS_PAGE);
    return await createRegistrationToken(page, `MCP e2e ${Date.now().toString(36)}`, "1 hour");
  } finally {
    await context.close();
  }
}

/**
 * The SDK's whole flow for `user`: connect (401) -> discovery, registration if needed ->
 * redirectToAuthorization, where the browser takes over -> finishAuth with the code -> connect
 * again and call the tool. Returns the tool's answer and the access token the SDK got.
 */
async function authorizeAndCall(
  page: Page,
  user: TestUser,
  provider: RecordingOAuthProvider,
  fetchFn?: FetchLike,
): Promise<{ text: string; accessToken: string }> {
  const transport = new StreamableHTTPClientTransport(new URL(mcpUrl), { authProvider: provider, fetch: fetchFn });
  await expect(new Client({ name: "e2e", version: "1" }).connect(transport)).rejects.toBeInstanceOf(UnauthorizedError);

  // The authorization request the SDK built: PKCE, the MCP server as resource, the scope of
  // the 401's challenge, to Latchkey's advertised authorization endpoint.
  const url = provider.authorizationUrl!;
  expect(`${url.origin}${url.pathname}`).toBe(`${BASE_URL}/oauth/authorize`);
  const clientId = provider.clientInformation()!.client_id;
  expect(Object.fromEntries(url.searchParams)).toMatchObject({
    response_type: "code",
    client_id: clientId,
    redirect_uri: callbacks.redirectUri,
    code_challenge_method: "S256",
    resource: mcpUrl,
    scope: "mcp:tools",
    state: provider.lastState,
  });

  const callback = await callbacks.capture(page, async () => {
    await page.goto(url.href);
    await signInForAuthorization(page, user);
    await expect(page).toHaveURL((u) => u.origin === BASE_URL && u.pathname === "/consent");
    await expect(page.locator("body")).toContainText(SCOPE_WORDS);
    await page.getByRole("button", { name: "Allow", exact: true }).click();
  });
  expect(callback.searchParams.get("state")).toBe(provider.lastState);
  expect(callback.searchParams.get("iss")).toBe(BASE_URL);
  await transport.finishAuth(callback.searchParams.get("code")!);

  const accessToken = provider.tokens()!.access_token;
  // RFC 8707 / RFC 9068: the token is for the MCP server, issued to this client for this user.
  expect(decodeJwt(accessToken)).toMatchObject({ iss: BASE_URL, aud: mcpUrl, client_id: clientId, scope: "mcp:tools" });

  const client = new Client({ name: "e2e", version: "1" });
  await client.connect(new StreamableHTTPClientTransport(new URL(mcpUrl), { authProvider: provider }));
  try {
    const result = await client.callTool({ name: "whoami" });
    const content = result.content as { type: string; text: string }[];
    return { text: content[0]!.text, accessToken };
  } finally {
    await client.close();
  }
}

// The SDK registers with `scope` set to the 401's scope ("mcp:tools"): registration accepts the
// scopes of registered APIs (RFC 7591 §2; lib/http/endpoints/registration.ts knownApiScopes).
test("the SDK registers dynamically, the user signs in and consents, and the tool is called", async ({ page, browser, user }) => {
  const token = await registrationToken(browser);
  const { registration_endpoint } = await (await fetch(`${BASE_URL}/.well-known/oauth-authorization-server`)).json();
  const provider = new RecordingOAuthProvider(callbacks.redirectUri, `E2E MCP client ${Date.now().toString(36)}`);

  const { text, accessToken } = await authorizeAndCall(page, user, provider, withInitialAccessToken(registration_endpoint, token));
  const clientId = provider.clientInformation()!.client_id;
  expect(clientId).toMatch(/^lk_/);
  expect(text).toBe(`user ${decodeJwt(accessToken).sub} via client ${clientId} with scopes mcp:tools`);
});

test("a pre-registered public client goes through the same flow", async ({ page, user }) => {
  const provider = new RecordingOAuthProvider(callbacks.redirectUri, PRE_REGISTERED, { client_id: preRegistered });
  const { text, accessToken } = await authorizeAndCall(page, user, provider);
  expect(provider.clientInformation()!.client_id).toBe(preRegistered);
  expect(text).toBe(`user ${decodeJwt(accessToken).sub} via client ${preRegistered} with scopes mcp:tools`);
});

// draft-ietf-oauth-client-id-metadata-document: the SDK's client_id is the https URL of its
// metadata document (the SDK accepts only https), which Latchkey fetches at the authorization
// request; no registration. Served here over https on 127.0.0.1 with the run's certificate, which
// the server trusts (e2e/env.ts TEST_TLS), and fetched because the e2e server allows loopback
// documents (CLIENT_METADATA_ALLOW_PRIVATE, development and tests only).
test("the SDK identifies itself with a client ID metadata document, signs in and calls the tool", async ({ page, user }) => {
  const documents = createServer({ key: readFileSync(TEST_TLS.key), cert: readFileSync(TEST_TLS.cert) }, (req, res) => {
    const document = {
      client_id: documentUrl,
      client_name: "E2E MCP client (metadata document)",
      redirect_uris: [callbacks.redirectUri],
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      token_endpoint_auth_method: "none",
      scope: "mcp:tools",
    };
    if (req.url !== "/oauth/client.json") return void res.writeHead(404).end();
    res.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" }).end(JSON.stringify(document));
  });
  await new Promise<void>((resolve) => documents.listen(0, "127.0.0.1", resolve));
  const documentUrl = `https://127.0.0.1:${(documents.address() as AddressInfo).port}/oauth/client.json`;
  try {
    const provider = new RecordingOAuthProvider(callbacks.redirectUri, "E2E MCP client (metadata document)", undefined, documentUrl);
    const { text, accessToken } = await authorizeAndCall(page, user, provider);
    // No registration: the client_id is the document's URL (the SDK saw client_id_metadata_document_supported).
    expect(provider.clientInformation()!.client_id).toBe(documentUrl);
    expect(text).toBe(`user ${decodeJwt(accessToken).sub} via client ${documentUrl} with scopes mcp:tools`);
  } finally {
    await new Promise((resolve) => documents.close(resolve));
  }
});

test("a token Latchkey minted for another API is refused by the MCP server", async () => {
  const token = await serviceToken(service, otherApi.identifier, "mcp:tools");
  expect(decodeJwt(token).aud).toBe(otherApi.identifier);

  const client = new Client({ name: "e2e", version: "1" });
  const transport = new StreamableHTTPClientTransport(new URL(mcpUrl), { requestInit: { headers: { authorization: `Bearer ${token}` } } });
  await expect(client.connect(transport)).rejects.toThrow();
  const response = await fetch(mcpUrl, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json", accept: "application/json, text/event-stream" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
  });
  expect(response.status).toBe(401);
  expect(response.headers.get("www-authenticate")).toBe(
    `Bearer resource_metadata="${new URL(mcpUrl).origin}/.well-known/oauth-protected-resource/mcp", error="invalid_token", ` +
      `error_description="The access token is not meant for this API (aud)", scope="mcp:tools"`,
  );
});
