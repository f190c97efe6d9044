// Fault script (issue 18 §4): how much the server logs while requests fail in bulk.
//   npx tsx scripts/faults/log-flood.ts [--seconds 20] [--connections 16] [--port 3204]
// Runs the production server (`next build` first if there is no build) on a throw-away
// PostgreSQL database reached through a small TCP proxy of this script's own, and for
// --seconds each:
//   1. "bad credentials": token requests with a wrong client secret (401 invalid_client);
//   2. "database away": the proxy cuts every connection and refuses new ones, and a real client
//      asks for tokens (every request fails on the database).
// It counts the requests, the failures and the bytes and lines the server writes to stdout and
// stderr during each phase. Before issue 18 §4: about 0.8 KB per failed request (629 KB in 20 s).
// Not part of `npm test`: the rules it exercises are unit-tested in lib/http/request-observe.test.ts.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer, connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";

const { values } = parseArgs({
  options: { seconds: { type: "string", default: "20" }, connections: { type: "string", default: "16" }, port: { type: "string", default: "3204" } },
});
const SECONDS = Number(values.seconds);
const CONNECTIONS = Number(values.connections);
const PORT = Number(values.port);
const root = path.resolve(import.meta.dirname, "../..");
const PG = process.env.PG_TEST_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const dbName = `latchkey_fault_logflood_${process.pid}`;

// A TCP proxy in front of PostgreSQL that can be made to cut and refuse every connection.
let away = false;
const open = new Set<Socket>();
const proxy = createServer((client) => {
  if (away) return client.destroy();
  const target = new URL(PG);
  const upstream = connect(Number(target.port || 5432), target.hostname);
  for (const s of [client, upstream]) {
    open.add(s);
    s.on("close", () => open.delete(s));
    s.on("error", () => undefined);
  }
  client.pipe(upstream).pipe(client);
});
await new Promise<void>((r) => proxy.listen(0, "127.0.0.1", r));
const proxyUrl = (() => {
  const u = new URL(PG);
  u.host = `127.0.0.1:${(proxy.address() as { port: number }).port}`;
  u.pathname = `/${dbName}`;
  return u.toString();
})();

const admin = new pg.Client({ connectionString: PG });
await admin.connect();
await admin.query(`CREATE DATABASE "${dbName}"`);
// Whatever happens below, the throw-away database goes.
const dropDb = async () => {
  await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`).catch(() => undefined);
  await admin.end().catch(() => undefined);
};
process.once("unhandledRejection", async (err) => {
  console.error(err);
  server?.kill("SIGTERM");
  await dropDb();
  process.exit(1);
});
let server: ReturnType<typeof spawn> | undefined;
const dataDir = mkdtempSync(path.join(tmpdir(), "latchkey-logflood-"));
const env: NodeJS.ProcessEnv = {
  ...process.env,
  DATABASE_URL: proxyUrl,
  DATA_DIR: dataDir,
  PORT: String(PORT),
  ISSUER: `http://localhost:${PORT}`,
  NODE_ENV: "production",
  LATCHKEY_SECRET: "f".repeat(48),
  PURGE_INTERVAL_SECONDS: "0",
  METRICS_TOKEN: "m".repeat(40),
};

if (!existsSync(path.join(root, ".next", "BUILD_ID"))) {
  console.error("No build: running next build first.");
  spawnSync("npx", ["next", "build"], { cwd: root, stdio: "inherit" });
}
/** The CLI, asynchronously: the proxy in this process must keep forwarding while it runs. */
const cli = (args: string[]) =>
  new Promise<Record<string, string>>((resolve, reject) => {
    const p = spawn(process.execPath, ["--import", "tsx", "scripts/cli.ts", ...args], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    p.stdout.on("data", (c: Buffer) => (out += c.toString()));
    p.stderr.on("data", (c: Buffer) => (err += c.toString()));
    p.on("exit", (code) => (code === 0 ? resolve(JSON.parse(out) as Record<string, string>) : reject(new Error(err))));
  });
const client = await cli(["client", "create", "--name", "flood", "--redirect-uri", "https://flood.test/cb", "--grant-types", "client_credentials"]);

const child = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
server = child;
let bytes = 0;
let lines = 0;
let last = "";
let started!: () => void;
const running = new Promise<void>((r) => (started = r));
for (const stream of [child.stdout, child.stderr]) {
  stream.on("data", (chunk: Buffer) => {
    bytes += chunk.length;
    for (const b of chunk) if (b === 10) lines++;
    last = chunk.toString().trim().split("\n").at(-1) ?? last;
    if (chunk.toString().includes("Latchkey is running")) started();
  });
}
await Promise.race([running, new Promise((_, reject) => setTimeout(() => reject(new Error(`the server did not start: ${last}`)), 60_000))]);

const base = `http://127.0.0.1:${PORT}`;
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString("base64")}`;

async function phase(name: string, authorization: string) {
  const before = { bytes, lines };
  let requests = 0;
  let failed = 0;
  const statuses = new Map<number, number>();
  const end = Date.now() + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (Date.now() < end) {
        const r = await fetch(`${base}/oauth/token`, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded", authorization },
          body: "grant_type=client_credentials",
        }).catch(() => null);
        requests++;
        const status = r?.status ?? 0;
        await r?.arrayBuffer().catch(() => undefined);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        if (status !== 200) failed++;
      }
    }),
  );
  await new Promise((r) => setTimeout(r, 1500)); // the last second's summaries
  const b = bytes - before.bytes;
  const l = lines - before.lines;
  console.log(
    `${name}: ${requests} requests in ${SECONDS} s, ${failed} failed (status ${[...statuses].map(([s, n]) => `${s}×${n}`).join(", ")}); ` +
      `log ${(b / 1024).toFixed(1)} KB in ${l} lines = ${failed ? (b / failed).toFixed(1) : "-"} bytes per failed request`,
  );
}

/** Latchkey's own series from /metrics (not the default process ones), the 2xx/4xx buckets trimmed. */
async function metricsSample() {
  const text = await (await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${env.METRICS_TOKEN}` } })).text();
  return text
    .split("\n")
    .filter((l) => /^(# (HELP|TYPE) )?latchkey_(http|oauth|tokens|refresh|code|signins|purge|sqlite|pg)/.test(l))
    .filter((l) => !/_bucket\{/.test(l) || /le="(0\.005|0\.05|\+Inf)"/.test(l));
}

try {
  // A few successful token requests first, for the sample.
  for (let i = 0; i < 5; i++) {
    await fetch(`${base}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: basic(client.client_id!, client.client_secret!) },
      body: "grant_type=client_credentials",
    }).then((r) => r.arrayBuffer());
  }
  await phase("bad credentials", basic(client.client_id!, "wrong-secret"));
  console.log(`/metrics after phase 1 (Latchkey's own series):\n${(await metricsSample()).map((l) => `  ${l}`).join("\n")}`);
  away = true;
  for (const s of open) s.destroy();
  await phase("database away", basic(client.client_id!, client.client_secret!));
  console.log(`last line written: ${last.slice(0, 300)}`);
} finally {
  child.kill("SIGTERM");
  await new Promise((r) => child.once("exit", r));
  away = false;
  proxy.close();
  for (const s of open) s.destroy();
  await dropDb();
  rmSync(dataDir, { recursive: true, force: true });
}
