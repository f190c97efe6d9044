// Runs the example API: `npm run example:api` (README, "Protect an API").
//   ISSUER        Latchkey's issuer URL (default http://localhost:3000)
//   API_URL       this API's identifier in Latchkey, and where it listens (default http://localhost:4000)
//   API_CLIENT_ID, API_CLIENT_SECRET   the API's credentials: when set, every token is also
//                 introspected, so a revoked token is refused at once
import { createServer } from "node:http";
import { itemsApi } from "./items-api";

const issuer = process.env.ISSUER ?? "http://localhost:3000";
const resource = process.env.API_URL ?? "http://localhost:4000";
const { API_CLIENT_ID: clientId, API_CLIENT_SECRET: clientSecret } = process.env;

const listener = await itemsApi({ issuer, resource, introspection: clientId && clientSecret ? { clientId, clientSecret } : undefined });
const url = new URL(resource);
createServer(listener).listen(Number(url.port || 80), url.hostname, () => {
  console.log(`Items API on ${resource}/items (tokens from ${issuer}${clientId ? ", introspected" : ""})`);
});
