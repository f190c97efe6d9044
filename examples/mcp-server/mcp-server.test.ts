// The example MCP server against a stand-in issuer (test/fake-issuer.ts), called by the SDK's
// own client with a token in hand: metadata at the path-specific well-known URL (RFC 9728 §3.1),
// the 401 challenge an MCP client starts from, the audience check (RFC 8707), the scope, and
// the DNS-rebinding checks. e2e/mcp.spec.ts runs the whole OAuth flow against a real Latchkey.
import { request, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { FakeIssuer } from "@test/fake-issuer";
import { close, listen } from "@test/loopback-server";
import { mcpServer } from "./mcp-server";

let issuer: FakeIssuer;
let server: Server;
let origin: string;
let resource: string;

beforeAll(async () => {
  issuer = await FakeIssuer.start();
  ({ server, origin } = await listen());
  resource = `${origin}/mcp`;
  server.on("request", await mcpServer({ issuer: issuer.issuer, resource }));
});

afterAll(async () => {
  await Promise.all([close(server), issuer.close()]);
});

const metadataUrl = () => `${origin}/.well-known/oauth-protected-resource/mcp`;
const challenge = (error?: string, description?: string) =>
  `Bearer resource_metadata="${metadataUrl()}"` +
  (error ? `, error="${error}", error_description="${description}"` : "") +
  `, scope="mcp:tools"`;

const initialize = (headers: Record<string, string> = {}) =>
  fetch(resource, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json, text/event-stream", ...headers },
    body: JSON.stringify({
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "test", version: "1" } },
    }),
  });

async function connect(token: string): Promise<Client> {
  const client = new Client({ name: "test", version: "1" });
  await client.connect(new StreamableHTTPClientTransport(new URL(resource), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
  return client;
}

describe("example MCP server", () => {
  it("serves its protected resource metadata at the path-specific well-known URL", async () => {
    const response = await fetch(metadataUrl());
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      resource,
      authorization_servers: [issuer.issuer],
      scopes_supported: ["mcp:tools"],
      bearer_methods_supported: ["header"],
      resource_name: "Latchkey example MCP server",
    });
    expect((await fetch(`${origin}/.well-known/oauth-protected-resource`)).status).toBe(404);
  });

  it("answers a request without a token with 401 and the challenge naming the metadata and scope", async () => {
    const response = await initialize();
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toBe(challenge());
  });

  it("refuses a token minted for another audience, even from the same issuer (RFC 8707)", async () => {
    for (const aud of ["https://api.example.com", issuer.issuer, origin]) {
      const response = await initialize({ authorization: `Bearer ${await issuer.token(aud, { scope: "mcp:tools" })}` });
      expect(response.status).toBe(401);
      expect(response.headers.get("www-authenticate")).toBe(challenge("invalid_token", "The access token is not meant for this API (aud)"));
    }
  });

  it("refuses a token without mcp:tools with 403 insufficient_scope", async () => {
    const response = await initialize({ authorization: `Bearer ${await issuer.token(resource, { scope: "read:items" })}` });
    expect(response.status).toBe(403);
    expect(response.headers.get("www-authenticate")).toBe(challenge("insufficient_scope", "This needs the scope mcp:tools"));
  });

  it("serves the SDK client with a token for it: the tool sees who the token is for", async () => {
    const client = await connect(await issuer.token(resource, { scope: "mcp:tools", sub: "user-42", client_id: "cli-7" }));
    try {
      expect((await client.listTools()).tools.map((t) => t.name)).toEqual(["whoami"]);
      const result = await client.callTool({ name: "whoami" });
      expect(result.content).toEqual([{ type: "text", text: "user user-42 via client cli-7 with scopes mcp:tools" }]);
    } finally {
      await client.close();
    }
  });

  it("refuses another Host or Origin with 403 (DNS rebinding), even with a good token", async () => {
    const token = await issuer.token(resource, { scope: "mcp:tools" });
    const evil = await initialize({ authorization: `Bearer ${token}`, origin: "http://evil.example" });
    expect(evil.status).toBe(403);
    // fetch() cannot set Host: a raw request can.
    const rebound = await new Promise<number>((resolve, reject) => {
      const req = request(resource, { method: "POST", headers: { host: "evil.example:80", authorization: `Bearer ${token}` } });
      req.on("response", (res) => resolve(res.statusCode ?? 0)).on("error", reject).end("{}");
    });
    expect(rebound).toBe(403);
  });

  it("is stateless: GET (standalone SSE) and DELETE (sessions) are 405 for an authorized caller", async () => {
    const authorization = `Bearer ${await issuer.token(resource, { scope: "mcp:tools" })}`;
    for (const method of ["GET", "DELETE"]) {
      const response = await fetch(resource, { method, headers: { authorization } });
      expect(response.status).toBe(405);
      expect(response.headers.get("allow")).toBe("POST");
    }
  });
});
