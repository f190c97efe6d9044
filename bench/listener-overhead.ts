// What the request listener's observation costs per request (issue 18 §4): CPU per request
// through the listener with a trivial endpoint, alternating three ways: the endpoint alone (no
// listener), the listener without metrics (METRICS_TOKEN unset: request id, two clock reads),
// and with metrics (plus one histogram observation). In-process, process.cpuUsage over N
// requests each; the difference between the rows is the listener's cost.
//   npx tsx bench/listener-overhead.ts [--requests 20000] [--rounds 3]
import { IncomingMessage, ServerResponse } from "node:http";
import { Socket } from "node:net";
import { parseArgs } from "node:util";
import { requestListener } from "../lib/http/request-listener";
import { ServerLog } from "../lib/log/logger";
import { createMetrics, type Metrics } from "../lib/ops/metrics";

const { values } = parseArgs({ options: { requests: { type: "string", default: "20000" }, rounds: { type: "string", default: "3" } } });
const N = Number(values.requests);
const socket = new Socket();
const log = new ServerLog({ destination: { write() {} } });

const endpoint = async (_req: IncomingMessage, res: ServerResponse): Promise<string | false> => {
  res.statusCode = 200;
  res.setHeader("Content-Type", "application/json");
  res.end('{"access_token":"x"}');
  return "/oauth/token";
};

function request(): [IncomingMessage, ServerResponse] {
  const req = new IncomingMessage(socket);
  req.method = "POST";
  req.url = "/oauth/token";
  req.headers = { host: "localhost", "content-type": "application/x-www-form-urlencoded" };
  return [req, new ServerResponse(req)];
}

async function cpuPerRequest(handle: (req: IncomingMessage, res: ServerResponse) => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 2000; i++) await handle(...request()); // warm up
  const start = process.cpuUsage();
  for (let i = 0; i < N; i++) await handle(...request());
  const d = process.cpuUsage(start);
  return (d.user + d.system) / N;
}

const listener = (metrics: Metrics | null) =>
  requestListener({ issuer: "http://localhost:3000", dev: false, protocol: endpoint, next: () => undefined, metrics, log });

const rows: Record<string, number[]> = { "endpoint alone": [], "listener, metrics off": [], "listener, metrics on": [] };
const withMetrics = listener(createMetrics());
const without = listener(null);
for (let r = 0; r < Number(values.rounds); r++) {
  rows["endpoint alone"]!.push(await cpuPerRequest(endpoint));
  rows["listener, metrics off"]!.push(await cpuPerRequest(without));
  rows["listener, metrics on"]!.push(await cpuPerRequest(withMetrics));
}
console.log(`CPU per request (µs), ${N} requests a round, ${values.rounds} rounds alternated:`);
for (const [name, us] of Object.entries(rows)) console.log(`  ${name.padEnd(24)} ${us.map((u) => u.toFixed(2)).join(" / ")}`);
