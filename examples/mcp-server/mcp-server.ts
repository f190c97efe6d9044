// The example MCP server: one tool (`whoami`) over the Streamable HTTP transport of the
// official SDK, protected by Latchkey as the MCP authorization spec (2025-11-25) asks:
//   - RFC 9728 protected resource metadata, and a 401 whose WWW-Authenticate names it (and the
//     scope to ask for), so that an MCP client finds Latchkey by itself;
//   - tokens verified locally: signature, issuer, expiry and audience. The audience check is the
//     MCP spec's "MUST validate that access tokens were issued specifically for them" (RFC 8707):
//     a token Latchkey minted for another API or MCP server is refused;
//   - the scope `mcp:tools`; Origin and Host checked against DNS rebinding (MCP transports).
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import type { AuthInfo } from "@modelcontextprotocol/sdk/server/auth/types.js";
import { accessTokenVerifier, type VerifiedAccessToken } from "../shared/access-token";
import { discoverAuthorizationServer } from "../shared/authorization-server";
import { checkBearer, refuse } from "../shared/bearer";
import { resourceMetadata, resourceMetadataPath, resourceMetadataUrl, sendJson } from "../shared/resource-metadata";

/** The scope every MCP request needs. */
export const MCP_SCOPE = "mcp:tools";

export interface McpServerOptions {
  /** Latchkey's issuer URL. */
  issuer: string;
  /** The MCP endpoint's URL, e.g. https://mcp.example.com/mcp: the API identifier in Latchkey (the tokens' aud). */
  resource: string;
}

/** Discovers Latchkey once, then returns the request listener. */
export async function mcpServer(o: McpServerOptions): Promise<RequestListener> {
  const server = await discoverAuthorizationServer(o.issuer);
  const verify = accessTokenVerifier({ issuer: o.issuer, audience: o.resource, jwksUri: server.jwks_uri });
  const endpoint = new URL(o.resource);
  const metadata = resourceMetadata({ resource: o.resource, issuer: o.issuer, scopes: [MCP_SCOPE], name: "Latchkey example MCP server" });
  const metadataPath = resourceMetadataPath(o.resource);
  const check = { verify, resourceMetadata: resourceMetadataUrl(o.resource), scope: MCP_SCOPE };

  return (req, res) => {
    // DNS rebinding: a page on another site that resolves its name to this server's address
    // sends its own Host and Origin. MCP transports: an invalid Origin MUST get 403.
    const origin = req.headers.origin;
    if (req.headers.host !== endpoint.host || (origin !== undefined && origin !== endpoint.origin)) {
      return sendJson(res, 403, { error: "forbidden", error_description: "Unexpected Host or Origin" });
    }
    const path = new URL(req.url ?? "/", endpoint).pathname;
    if (path === metadataPath && req.method === "GET") return sendJson(res, 200, metadata);
    if (path !== endpoint.pathname) return sendJson(res, 404, { error: "not_found" });
    checkBearer(req, check)
      .then((result) => ("refusal" in result ? refuse(res, result.refusal) : serveMcp(req, res, authInfo(result, o.resource))))
      .catch((e: unknown) => {
        console.error("MCP server:", e);
        if (!res.headersSent) sendJson(res, 503, { error: "temporarily_unavailable", error_description: "Cannot check the token right now" });
      });
  };
}

/** What the SDK hands to tools as `extra.authInfo`. */
function authInfo(r: { token: string; verified: VerifiedAccessToken }, resource: string): AuthInfo {
  return {
    token: r.token,
    clientId: r.verified.clientId,
    scopes: r.verified.scopes,
    expiresAt: r.verified.claims.exp,
    resource: new URL(resource),
    extra: { sub: r.verified.claims.sub },
  };
}

/** The MCP server itself: one tool. Stateless, so a server and transport serve one request. */
function buildServer(): McpServer {
  const server = new McpServer({ name: "latchkey-example", version: "1.0.0" });
  server.registerTool(
    "whoami",
    { title: "Who am I", description: "Says which user and client the access token was issued to." },
    async (extra) => {
      const auth = extra.authInfo;
      const text = `user ${String(auth?.extra?.sub)} via client ${auth?.clientId} with scopes ${auth?.scopes.join(" ")}`;
      return { content: [{ type: "text", text }] };
    },
  );
  return server;
}

async function serveMcp(req: IncomingMessage, res: ServerResponse, auth: AuthInfo): Promise<void> {
  // Stateless Streamable HTTP: requests are POSTs; there is no standalone SSE stream to GET
  // and no session to DELETE.
  if (req.method !== "POST") {
    res.writeHead(405, { allow: "POST", "content-type": "application/json" });
    res.end(JSON.stringify({ jsonrpc: "2.0", error: { code: -32000, message: "Method not allowed" }, id: null }));
    return;
  }
  const server = buildServer();
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  res.on("close", () => {
    void transport.close();
    void server.close();
  });
  await server.connect(transport);
  await transport.handleRequest(Object.assign(req, { auth }), res);
}
