// Fault: someone guesses a client secret at the token endpoint as fast as they can.
//   npx tsx scripts/faults/secret-guessing.ts            (needs `npx next build` first)
// Starts Latchkey as `npm start` does (production, a fresh SQLite database in a temporary
// directory, port E2E_PORT or 3205, every other setting at its default unless set in the
// environment), creates a confidential client with the CLI, then for SECONDS (default 10) sends
// a wrong secret over CONNECTIONS (default 16) keep-alive connections (autocannon), then the right secret once.
// Prints one JSON object: how many guesses were answered 401 (the secret was checked), 429 (refused
// before it was), anything else, whether the right secret got in, and the audit rows written.
// Expected with the defaults (CLIENT_AUTH_FAILURES_PER_CLIENT=10): 10 checked, every other one
// 429, the right secret 429, 10 client.auth_failed and 1 client.auth_throttled.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { createDb } from "../../lib/db/client";

const ROOT = path.resolve(import.meta.dirname, "../..");
const PORT = Number(process.env.E2E_PORT ?? 3205);
const SECONDS = Number(process.env.SECONDS ?? 10);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 16);
const ORIGIN = `http://127.0.0.1:${PORT}`;
const dataDir = mkdtempSync(path.join(tmpdir(), "latchkey-fault-guess-"));
const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "production", PORT: String(PORT), ISSUER: ORIGIN, DATA_DIR: dataDir, NEXT_TELEMETRY_DISABLED: "1" };
delete env.DATABASE_URL;
const tsx = path.join(ROOT, "node_modules/.bin/tsx");

function cli(args: string[]): Record<string, unknown> {
  const r = spawnSync(tsx, ["scripts/cli.ts", ...args], { cwd: ROOT, env, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`cli ${args.join(" ")} failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

async function waitUp(deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${ORIGIN}/.well-known/openid-configuration`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error("the server did not start in time");
}

const server = spawn(tsx, ["scripts/start.ts"], { cwd: ROOT, env, stdio: ["ignore", "ignore", "inherit"] });
try {
  await waitUp(Date.now() + 120_000);
  const client = cli(["client", "create", "--name", "Guessed", "--redirect-uri", "https://app.example/cb", "--grant-types", "client_credentials"]);
  const id = client.client_id as string;
  const basic = (secret: string) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString("base64")}`;
  const attempt = (secret: string) =>
    fetch(`${ORIGIN}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: basic(secret) },
      body: "grant_type=client_credentials",
    });

  // autocannon: a wrong secret on every request, as fast as the server answers.
  const run = await autocannon({
    url: `${ORIGIN}/oauth/token`,
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", authorization: basic("a-wrong-guess") },
    body: "grant_type=client_credentials",
    connections: CONNECTIONS,
    duration: SECONDS,
  });
  const counts: Record<string, number> = {};
  for (const [status, v] of Object.entries(run.statusCodeStats ?? {})) counts[status] = v.count ?? 0;
  const right = await attempt(client.client_secret as string);
  const rightBody = (await right.json()) as { error?: string };

  const db = createDb(`file:${path.join(dataDir, "latchkey.db")}`);
  const audit = async (type: string) => db.auditEvent.count({ where: { type, clientId: id } });
  const result = {
    seconds: SECONDS,
    connections: CONNECTIONS,
    guesses: Object.values(counts).reduce((a, b) => a + b, 0),
    per_second: Math.round(run.requests.average),
    checked_401: counts[401] ?? 0,
    refused_429: counts[429] ?? 0,
    other: Object.fromEntries(Object.entries(counts).filter(([s]) => s !== "401" && s !== "429")),
    right_secret_after: { status: right.status, error: rightBody.error ?? null, retry_after: right.headers.get("retry-after") },
    audit_rows: { "client.auth_failed": await audit("client.auth_failed"), "client.auth_throttled": await audit("client.auth_throttled") },
  };
  await db.$disconnect();
  console.log(JSON.stringify(result, null, 2));
} finally {
  server.kill("SIGINT");
  await new Promise((r) => server.once("exit", r));
  rmSync(dataDir, { recursive: true, force: true });
}
