// Fault script (issue 18 §2): the production server (`npx next build` first) while its database
// stalls or goes away. Not part of CI. Run: `npx tsx scripts/faults/db-stall.ts [postgres|sqlite]`
// (both when no argument). E2E_PORT (default 3202) is the port the server listens on.
//
// PostgreSQL: the server reaches a fresh database through a TCP proxy of this script; while
// token (client_credentials), authorize (a known client, no session) and discovery requests are
// driven, the phases are: (a) `LOCK TABLE "AccessToken" IN ACCESS EXCLUSIVE MODE` held 10 s by
// another connection, (b) the proxy blackholes 10 s (a frozen server), (c) the proxy refuses
// 10 s (the server is down), (d) restored. Each phase prints status counts and the slowest
// answer per endpoint; (d) prints the time from the restore to the first 200 token response.
// SQLite: another process holds the write lock 10 s, then the CLI creates 5 clients; the same
// requests, the same figures.
import { randomBytes } from "node:crypto";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { ROOT, sleep, startChild, stopChild, waitForHttp, type Child } from "../../bench/lib/proc";
import { tcpProxy, type TcpProxy } from "./tcp-proxy";

const PORT = Number(process.env.E2E_PORT ?? 3202);
const ORIGIN = `http://127.0.0.1:${PORT}`;
const PG_SERVER = process.env.PG_TEST_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const REDIRECT = "https://app.example/cb";
const PHASE_MS = 10_000;
const WORKERS = 4; // concurrent request loops per endpoint

type Endpoint = "token" | "authorize" | "discovery";
interface Tally {
  statuses: Record<string, number>;
  maxMs: number;
  n: number;
}
let tallies: Record<Endpoint, Tally>;
const fresh = (): Record<Endpoint, Tally> => ({
  token: { statuses: {}, maxMs: 0, n: 0 },
  authorize: { statuses: {}, maxMs: 0, n: 0 },
  discovery: { statuses: {}, maxMs: 0, n: 0 },
});
/** Set when a token request got 200 (for the time to recovery). */
let lastTokenOkAt = 0;

async function cli<T>(env: NodeJS.ProcessEnv, args: string[]): Promise<T> {
  return new Promise((resolve, reject) => {
    const p = spawn("npm", ["run", "--silent", "cli", "--", ...args], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    p.stdout.on("data", (c: Buffer) => (out += c));
    p.stderr.on("data", (c: Buffer) => (err += c));
    p.on("exit", (code) => (code === 0 ? resolve(JSON.parse(out) as T) : reject(new Error(`cli ${args.join(" ")}: ${err || out}`))));
  });
}

async function timedFetch(ep: Endpoint, url: string, init: RequestInit = {}) {
  const start = performance.now();
  let status: string;
  try {
    const res = await fetch(url, { ...init, redirect: "manual", signal: AbortSignal.timeout(60_000) });
    await res.arrayBuffer();
    status = String(res.status);
    if (ep === "token" && res.status === 200) lastTokenOkAt = Date.now();
  } catch (err) {
    status = (err as Error).name === "TimeoutError" ? "timeout" : "network-error";
  }
  const ms = performance.now() - start;
  const t = tallies[ep];
  t.statuses[status] = (t.statuses[status] ?? 0) + 1;
  t.maxMs = Math.max(t.maxMs, ms);
  t.n++;
}

/** Drives the three endpoints until stop() is called. */
function drive(client: { client_id: string; client_secret: string }) {
  let running = true;
  const basic = `Basic ${Buffer.from(`${client.client_id}:${client.client_secret}`).toString("base64")}`;
  const authorize = `${ORIGIN}/oauth/authorize?${new URLSearchParams({
    response_type: "code",
    client_id: client.client_id,
    redirect_uri: REDIRECT,
    scope: "openid",
    state: "s",
    code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
    code_challenge_method: "S256",
  })}`;
  const loop = async (f: () => Promise<void>) => {
    while (running) await f();
  };
  const loops = Array.from({ length: WORKERS }, () => [
    loop(() =>
      timedFetch("token", `${ORIGIN}/oauth/token`, {
        method: "POST",
        headers: { authorization: basic, "content-type": "application/x-www-form-urlencoded" },
        body: "grant_type=client_credentials",
      }),
    ),
    // X-Forwarded-For is ignored (TRUST_PROXY unset); ANONYMOUS_WRITES_PER_MINUTE is raised below.
    loop(() => timedFetch("authorize", authorize)),
    loop(() => timedFetch("discovery", `${ORIGIN}/.well-known/openid-configuration`)),
  ]).flat();
  return async () => {
    running = false;
    await Promise.all(loops);
  };
}

function report(phase: string, extra = "") {
  const parts = (Object.keys(tallies) as Endpoint[]).map((ep) => {
    const t = tallies[ep];
    const statuses = Object.entries(t.statuses)
      .map(([s, n]) => `${s}×${n}`)
      .join(" ");
    return `${ep}: ${statuses || "none"}, max ${Math.round(t.maxMs)} ms`;
  });
  console.log(`${phase.padEnd(28)} ${parts.join(" | ")}${extra}`);
  tallies = fresh();
}

async function startServer(env: NodeJS.ProcessEnv): Promise<Child> {
  const startScript = (JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: { start: string } }).scripts.start;
  const child = startChild("latchkey", "/bin/sh", ["-c", startScript], {
    env: { ...env, PATH: `${path.join(ROOT, "node_modules/.bin")}${path.delimiter}${env.PATH ?? ""}` },
  });
  await waitForHttp(`${ORIGIN}/.well-known/openid-configuration`, child);
  return child;
}

function baseEnv(dataDir: string): NodeJS.ProcessEnv {
  const { DATABASE_URL: _ignored, ...inherited } = process.env;
  return {
    ...inherited,
    NODE_ENV: "production",
    PORT: String(PORT),
    ISSUER: ORIGIN,
    DATA_DIR: dataDir,
    LATCHKEY_SECRET: randomBytes(32).toString("base64url"),
    ANONYMOUS_WRITES_PER_MINUTE: "1000000",
    // Load from one client and one address, far above the default rate limits (README, "Rate limits").
    RATE_LIMIT_PER_CLIENT: "1000000000",
    RATE_LIMIT_PER_ADDRESS: "1000000000",
    PURGE_INTERVAL_SECONDS: "0",
    NEXT_TELEMETRY_DISABLED: "1",
  };
}

async function createClient(env: NodeJS.ProcessEnv) {
  return cli<{ client_id: string; client_secret: string }>(env, [
    "client", "create", "--name", "Fault", "--redirect-uri", REDIRECT, "--grant-types", "authorization_code client_credentials",
  ]);
}

async function postgres() {
  const name = `latchkey_fault_${randomBytes(5).toString("hex")}`;
  const admin = new pg.Client({ connectionString: PG_SERVER });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const direct = new URL(PG_SERVER);
  direct.pathname = `/${name}`;
  const proxy: TcpProxy = await tcpProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "latchkey-fault-"));
  const env: NodeJS.ProcessEnv = { ...baseEnv(dataDir), DATABASE_URL: proxy.urlFor(direct.toString()) };
  let server: Child | undefined;
  try {
    server = await startServer(env);
    const client = await createClient({ ...env, DATABASE_URL: direct.toString() });
    console.log(`PostgreSQL via proxy :${proxy.port}; DB_CONNECT_TIMEOUT_MS=${env.DB_CONNECT_TIMEOUT_MS ?? 3000} DB_STATEMENT_TIMEOUT_MS=${env.DB_STATEMENT_TIMEOUT_MS ?? 5000}; ${WORKERS} loops per endpoint`);
    tallies = fresh();
    const stop = drive(client);
    await sleep(3000);
    report("baseline (3 s)");

    const locker = new pg.Client({ connectionString: direct.toString() });
    await locker.connect();
    await locker.query("BEGIN");
    await locker.query('LOCK TABLE "AccessToken" IN ACCESS EXCLUSIVE MODE');
    await sleep(PHASE_MS);
    await locker.query("ROLLBACK");
    await locker.end();
    report("(a) AccessToken locked 10 s");

    proxy.setMode("blackhole");
    await sleep(PHASE_MS);
    report("(b) blackholed 10 s");

    proxy.setMode("refuse");
    await sleep(PHASE_MS);
    report("(c) refused 10 s");

    const restoredAt = Date.now();
    proxy.setMode("pass");
    while (lastTokenOkAt < restoredAt && Date.now() - restoredAt < 30_000) await sleep(5);
    const recovery = lastTokenOkAt >= restoredAt ? `${lastTokenOkAt - restoredAt} ms` : "not within 30 s";
    await sleep(3000);
    report("(d) restored (3 s)", ` | first token 200 after the restore: ${recovery}`);
    await stop();
  } finally {
    if (server) await stopChild(server);
    await proxy.close();
    const c = new pg.Client({ connectionString: PG_SERVER });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.end();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function sqlite() {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "latchkey-fault-"));
  const env = baseEnv(dataDir);
  let server: Child | undefined;
  try {
    server = await startServer(env);
    const client = await createClient(env);
    console.log(`SQLite; DB_BUSY_RETRY_MS=${env.DB_BUSY_RETRY_MS ?? 5000}; ${WORKERS} loops per endpoint`);
    tallies = fresh();
    const stop = drive(client);
    await sleep(3000);
    report("baseline (3 s)");
    // Another process takes the write lock and keeps it for 10 s.
    const holder = spawn(
      process.execPath,
      ["-e", `const db = new (require("better-sqlite3"))(${JSON.stringify(path.join(dataDir, "latchkey.db"))}); db.exec("BEGIN IMMEDIATE"); setTimeout(() => { db.exec("COMMIT"); db.close(); }, ${PHASE_MS});`],
      { cwd: ROOT, stdio: "inherit" },
    );
    await new Promise((r) => holder.on("exit", r));
    report("write lock held 10 s");
    await sleep(3000);
    report("released (3 s)");
    // The CLI, another process, writing while the server serves.
    for (let i = 0; i < 5; i++) await createClient(env);
    report("5 CLI `client create`");
    await stop();
  } finally {
    if (server) await stopChild(server);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const which = process.argv[2];
if (!which || which === "postgres") await postgres();
if (!which || which === "sqlite") await sqlite();
