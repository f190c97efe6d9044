// Fault: SIGTERM to `npm start` under load (issue 18 §3). Not part of CI; one command:
//
//   npm run build && npx tsx scripts/faults/sigterm-under-load.ts [--db sqlite|postgres] [--port 3203]
//       [--connections 16] [--before 4] [--after 4]
//
// Starts the production server with `npm start` on a fresh database, makes refresh chains (one
// per refresh client, each its own grant family) and drives them and client_credentials at
// --connections keep-alive connections; after --before seconds sends SIGTERM to npm's PID, starts
// `npm start` again on the same database as soon as that has exited, and lets the clients go on
// for --after seconds on the new server. A refused connection is retried (the server is
// restarting); anything else that is not a complete response counts as a failure. Then every
// chain is refreshed once more: a family revoked along the way is lost. Prints one JSON object;
// exits 1 unless the server exited 0, nothing was reset or failed, and no family was lost.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { basicAuth, CookieJar, fetchRaw, form } from "../../bench/lib/http";
import { grantConsent, LOAD_TEST_LIMITS } from "../../bench/lib/latchkey";
import type { AuthorizeEndpoint } from "../../bench/lib/load";
import { refreshChains } from "../../bench/lib/target";
import { projectRoot } from "../lib/project-root";

const ROOT = projectRoot(import.meta.dirname);
const { values: args } = parseArgs({
  options: {
    db: { type: "string", default: "sqlite" },
    port: { type: "string", default: process.env.PORT ?? "3203" },
    connections: { type: "string", default: "16" },
    before: { type: "string", default: "4" },
    after: { type: "string", default: "4" },
  },
});
const PORT = Number(args.port);
const CONNECTIONS = Number(args.connections);
const ORIGIN = `http://127.0.0.1:${PORT}`;
const REDIRECT_URI = "http://127.0.0.1:9/callback";
const SCOPE = "openid offline_access";
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const log = (msg: string) => console.error(`» ${msg}`);

// ---- the server, as an operator runs it ----------------------------------------------------

interface Server {
  npm: ChildProcess;
  exited: Promise<number | null>;
  output: () => string;
}

function npmStart(env: NodeJS.ProcessEnv): Server {
  const npm = spawn("npm", ["start"], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  npm.stdout?.on("data", (c: Buffer) => (output += c.toString()));
  npm.stderr?.on("data", (c: Buffer) => (output += c.toString()));
  return { npm, exited: new Promise((r) => npm.once("exit", (code) => r(code))), output: () => output };
}

async function waitHealthy(s: Server): Promise<void> {
  const until = Date.now() + 120_000;
  while (Date.now() < until) {
    if (s.npm.exitCode !== null) throw new Error(`npm start exited ${s.npm.exitCode}:\n${s.output()}`);
    const r = await fetch(`${ORIGIN}/api/health`).catch(() => null);
    if (r?.status === 200) return;
    await sleep(100);
  }
  throw new Error(`the server did not answer /api/health within 120 s:\n${s.output()}`);
}

function cli<T>(env: NodeJS.ProcessEnv, cliArgs: string[]): Promise<T> {
  return new Promise((resolve, reject) => {
    const p = spawn("npm", ["run", "--silent", "cli", "--", ...cliArgs], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    p.stdout.on("data", (c: Buffer) => (out += c.toString()));
    p.stderr.on("data", (c: Buffer) => (err += c.toString()));
    p.on("exit", (code) => (code === 0 ? resolve(JSON.parse(out) as T) : reject(new Error(`cli ${cliArgs[0]} ${cliArgs[1]}: ${err || out}`))));
  });
}

/** Signs the user in (next-auth credentials), consents in the database: an authorize endpoint. */
async function signedIn(databaseUrl: string, user: { id: string; email: string; password: string }, client: { client_id: string; client_secret: string }): Promise<AuthorizeEndpoint> {
  const jar = new CookieJar();
  const csrf = JSON.parse((await fetchRaw(`${ORIGIN}/api/auth/csrf`, {}, jar)).text) as { csrfToken: string };
  await fetchRaw(
    `${ORIGIN}/api/auth/callback/credentials`,
    { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: form({ csrfToken: csrf.csrfToken, email: user.email, password: user.password, json: "true" }) },
    jar,
  );
  await grantConsent(databaseUrl, client.client_id, user.id, SCOPE.split(" "));
  return {
    tokenPath: "/oauth/token",
    authorizePath: "/oauth/authorize",
    basic: basicAuth(client.client_id, client.client_secret),
    resource: "",
    clientId: client.client_id,
    redirectUri: REDIRECT_URI,
    scope: SCOPE,
    cookie: jar.header(),
  };
}

// ---- the load ------------------------------------------------------------------------------

const counts = { ok: 0, refusedRetried: 0, resets: 0, httpErrors: 0, closeResponses: 0, refreshes: 0, clientCredentials: 0 };
const failures: string[] = [];

type Outcome = { kind: "response"; status: number; body: string } | { kind: "refused" } | { kind: "failed"; code: string };

const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });

function post(basic: string, body: string): Promise<Outcome> {
  return new Promise((resolve) => {
    const req = http.request(
      `${ORIGIN}/oauth/token`,
      { method: "POST", agent, headers: { "content-type": "application/x-www-form-urlencoded", authorization: basic, "content-length": Buffer.byteLength(body) } },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => (text += c));
        res.on("end", () => {
          if (res.headers.connection === "close") counts.closeResponses++;
          resolve({ kind: "response", status: res.statusCode ?? 0, body: text });
        });
        res.on("error", (err: NodeJS.ErrnoException) => resolve({ kind: "failed", code: err.code ?? err.message }));
      },
    );
    // ECONNREFUSED: nothing was sent, the server is not listening (stopping or restarting).
    req.on("error", (err: NodeJS.ErrnoException) => resolve(err.code === "ECONNREFUSED" ? { kind: "refused" } : { kind: "failed", code: err.code ?? err.message }));
    req.setTimeout(30_000, () => req.destroy(Object.assign(new Error("timeout"), { code: "TIMEOUT" })));
    req.end(body);
  });
}

/** One request until it gets a response; refused connections are retried, failures counted. */
async function send(basic: string, body: string, what: string): Promise<{ status: number; body: string } | null> {
  for (;;) {
    const o = await post(basic, body);
    if (o.kind === "refused") {
      counts.refusedRetried++;
      await sleep(50);
      continue;
    }
    if (o.kind === "failed") {
      counts.resets++;
      failures.push(`${what}: ${o.code}`);
      return null;
    }
    if (o.status !== 200) {
      counts.httpErrors++;
      failures.push(`${what}: HTTP ${o.status} ${o.body.slice(0, 200)}`);
      return null;
    }
    counts.ok++;
    return o;
  }
}

async function main() {
  if (!existsSync(path.join(ROOT, "dist/start.js")) || !existsSync(path.join(ROOT, ".next/BUILD_ID"))) {
    throw new Error("No production build: run `npm run build` first.");
  }
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "latchkey-fault-sigterm-"));
  let databaseUrl = `file:${path.join(dataDir, "latchkey.db")}`;
  let dropDb: () => Promise<void> = async () => undefined;
  if (args.db === "postgres") {
    const server = process.env.PG_TEST_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
    const name = `latchkey_fault_sigterm_${randomBytes(5).toString("hex")}`;
    const admin = new pg.Client({ connectionString: server });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(server);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
    dropDb = async () => {
      const c = new pg.Client({ connectionString: server });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    };
  }
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    PORT: String(PORT),
    ISSUER: ORIGIN,
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    ADMIN_EMAIL: "admin@fault.invalid",
    ADMIN_PASSWORD: randomBytes(18).toString("base64url"),
    ...LOAD_TEST_LIMITS,
  };
  const servers: Server[] = [];
  try {
    log(`npm start (${args.db}, port ${PORT})…`);
    servers.push(npmStart(env));
    await waitHealthy(servers[0] as Server);
    const client = await cli<{ client_id: string; client_secret: string }>(env, [
      "client", "create", "--name", "fault", "--redirect-uri", REDIRECT_URI,
      "--grant-types", "authorization_code refresh_token client_credentials",
    ]);
    const user = { email: "fault@fault.invalid", password: randomBytes(18).toString("base64url"), id: "" };
    user.id = (await cli<{ id: string }>(env, ["user", "create", "--email", user.email, "--password", user.password])).id;
    const ep = await signedIn(databaseUrl, user, client);
    const refreshWorkers = Math.ceil(CONNECTIONS / 2);
    const chains = await refreshChains(ORIGIN, ep, refreshWorkers);
    log(`${chains.length} refresh chains; load at ${CONNECTIONS} connections for ${args.before} s, then SIGTERM to npm's PID`);

    let running = true;
    const lost = new Set<number>();
    const refreshWorker = async (i: number) => {
      while (running && !lost.has(i)) {
        const r = await send(ep.basic, form({ grant_type: "refresh_token", refresh_token: chains[i] as string }), `refresh chain ${i}`);
        counts.refreshes++;
        if (!r) {
          lost.add(i); // whether the rotation committed is unknown: the chain cannot go on
          break;
        }
        chains[i] = (JSON.parse(r.body) as { refresh_token: string }).refresh_token;
      }
    };
    const ccWorker = async () => {
      while (running) {
        await send(ep.basic, "grant_type=client_credentials", "client_credentials");
        counts.clientCredentials++;
      }
    };
    const load = Promise.all([
      ...chains.map((_, i) => refreshWorker(i)),
      ...Array.from({ length: CONNECTIONS - refreshWorkers }, ccWorker),
    ]);

    await sleep(Number(args.before) * 1000);
    const first = servers[0] as Server;
    const signalAt = Date.now();
    log(`SIGTERM to npm (PID ${first.npm.pid})`);
    first.npm.kill("SIGTERM");
    const exitCode = await first.exited;
    const drainMs = Date.now() - signalAt;
    log(`npm exited ${exitCode} after ${drainMs} ms; npm start again`);
    servers.push(npmStart(env));
    await waitHealthy(servers[1] as Server);
    const restartedAt = Date.now();
    await sleep(Number(args.after) * 1000);
    running = false;
    await load;

    // Every family that was not given up along the way must still refresh.
    let finalOk = 0;
    for (const [i, token] of chains.entries()) {
      if (lost.has(i)) continue;
      const r = await send(ep.basic, form({ grant_type: "refresh_token", refresh_token: token }), `final refresh of chain ${i}`);
      if (r) finalOk++;
      else lost.add(i);
    }
    const result = {
      db: args.db,
      connections: CONNECTIONS,
      exitCode,
      drainMs,
      // From the old server's exit to the new one answering: connections are refused meanwhile.
      restartMs: restartedAt - signalAt - drainMs,
      requests: counts.ok + counts.resets + counts.httpErrors,
      ...counts,
      families: chains.length,
      familiesAliveAtEnd: finalOk,
      lostFamilies: lost.size,
      failures: failures.slice(0, 10),
    };
    console.log(JSON.stringify(result, null, 2));
    const firstOut = first.output();
    if (exitCode !== 0) log(`first server's output:\n${firstOut}`);
    process.exitCode = exitCode === 0 && counts.resets === 0 && counts.httpErrors === 0 && lost.size === 0 ? 0 : 1;
  } finally {
    agent.destroy();
    for (const s of servers) {
      if (s.npm.exitCode === null && s.npm.signalCode === null) {
        s.npm.kill("SIGTERM");
        await s.exited;
      }
    }
    await dropDb();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
