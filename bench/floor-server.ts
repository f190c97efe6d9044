// The bare-HTTP floor: a node:http server that answers every request with 200 `{}`.
// Run as its own process by bench/run.ts: `node --import tsx bench/floor-server.ts` with PORT.
import { createServer } from "node:http";

const port = Number(process.env.PORT);
if (!port) throw new Error("PORT is required");

const body = Buffer.from("{}");
createServer((_req, res) => {
  res.writeHead(200, { "content-type": "application/json", "content-length": body.length });
  res.end(body);
}).listen(port, "127.0.0.1", () => console.log(`floor server on ${port}`));
