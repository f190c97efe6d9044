// Runs the example MCP server: `npm run example:mcp` (README, "Use Latchkey with an MCP server").
//   ISSUER    Latchkey's issuer URL (default http://localhost:3000)
//   MCP_URL   the MCP endpoint, and its API identifier in Latchkey (default http://localhost:4100/mcp)
import { createServer } from "node:http";
import { mcpServer } from "./mcp-server";

const issuer = process.env.ISSUER ?? "http://localhost:3000";
const resource = process.env.MCP_URL ?? "http://localhost:4100/mcp";

const listener = await mcpServer({ issuer, resource });
const url = new URL(resource);
createServer(listener).listen(Number(url.port || 80), url.hostname, () => {
  console.log(`MCP server on ${resource} (tokens from ${issuer})`);
});
