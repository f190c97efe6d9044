// Fault script (issue 18 §6; not in CI): two Latchkey instances on one PostgreSQL database behind
// a round-robin proxy; one is killed with SIGKILL mid-load.
//
//   npm run build && npx tsx scripts/faults/two-instances.ts [--seconds 10] [--pg postgresql://postgres@127.0.0.1:5432/postgres]
//
// 1. Creates the PostgreSQL database latchkey_two_instances (dropped at the end), starts instance A
//    (port 3217; it migrates the database), then instance B (3218): the production build, the same
//    ISSUER (the proxy's URL) and the same LATCHKEY_SECRET, nothing else shared but the database.
// 2. Starts this file's own HTTP proxy (below) on 3216, round robin per request over A and B, and a
//    second one on 3219 with A alone. The proxy buffers each request; when a backend refuses the
//    connection (nothing was sent), it marks it down for 2 s and sends the request to the next one.
//    A request already sent when the backend dies gets 502: only the client may decide to retry.
// 3. Throughput, one instance vs two (through the proxies; and A directly, for the proxy's cost):
//    client_credentials and refresh rotation, autocannon, 16 connections, --seconds each.
// 4. The kill: code flows (GET authorize with a portal session signed in through the proxy, then
//    POST token: each hop goes wherever the proxy sends it), refresh chains whose requests
//    alternate between the instances, and client_credentials; B gets SIGKILL (its whole process
//    group) a third of the way in. Clients retry a failed request (network error, 502, 503) the
//    same way, against the proxy, up to 20 times, 100 ms apart.
// 5. Checks in the database: every code that got a token response is consumed, and every token
//    response has its refresh-token and access-token rows (no lost grant); every chain refreshes
//    once more at the end (no broken chain). A refresh or code whose response was lost in the kill
//    and that is retried gets invalid_grant today and revokes its family (RFC 9700 §4.14.2); the
//    refresh grace window of issue 18 §1 is meant to turn those into successes: they are counted
//    apart. Exit 0 only if nothing is lost and every chain still refreshes.
// The proxy mode (`--proxy PORT --backend PORT ...`) is how step 2 starts it, as its own process.
import http from "node:http";
import { mkdtempSync, readFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { CookieJar, describe as describeResponse, fetchRaw, form, jwtClaims, pkcePair, randomState, type Fetched } from "../../bench/lib/http";
import { cli, grantConsent, LOAD_TEST_LIMITS, SESSION_COOKIE } from "../../bench/lib/latchkey";
import { authorizeQuery, clientCredentials, codeFromRedirect, Recorder, refreshRotation, runLoad, type AuthorizeEndpoint, type ScenarioResult } from "../../bench/lib/load";
import { onCleanup, registerTempDir, ROOT, runMain, sleep, startChild, stopChild, waitForHttp, type Child } from "../../bench/lib/proc";
import { refreshChains, tokenEndpoint } from "../../bench/lib/target";
import { sha256 } from "../../lib/crypto/tokens";

const { values: args } = parseArgs({
  options: {
    proxy: { type: "string" },
    backend: { type: "string", multiple: true, default: [] },
    seconds: { type: "string", default: "10" },
    pg: { type: "string", default: process.env.PG_TEST_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres" },
  },
  strict: true,
});

const PROXY = 3216;
const A = 3217;
const B = 3218;
const PROXY_A_ONLY = 3219;
const DB_NAME = "latchkey_two_instances";
const REDIRECT_URI = "http://127.0.0.1:9/cb";
const SCOPE = "openid offline_access";

// ---- the proxy (its own process) ------------------------------------------------------------

const HOP_BY_HOP = new Set(["connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "te", "trailer"]);
const withoutHopByHop = (h: http.IncomingHttpHeaders) => Object.fromEntries(Object.entries(h).filter(([k]) => !HOP_BY_HOP.has(k)));

function runProxy(listen: number, backends: number[]): void {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const downUntil = new Map<number, number>();
  let next = 0;
  /** The next backend in turn that is not marked down (or the next in turn if all are). */
  const pick = (): number => {
    for (let i = 0; i < backends.length; i++) {
      const b = backends[next++ % backends.length]!;
      if ((downUntil.get(b) ?? 0) <= Date.now()) return b;
    }
    return backends[next++ % backends.length]!;
  };
  const send = (req: http.IncomingMessage, body: Buffer, res: http.ServerResponse, tries: number) => {
    const port = pick();
    const up = http.request({ host: "127.0.0.1", port, method: req.method, path: req.url, headers: withoutHopByHop(req.headers), agent }, (r) => {
      res.writeHead(r.statusCode ?? 502, { ...withoutHopByHop(r.headers), "x-backend": String(port) });
      r.pipe(res);
      r.on("error", () => res.destroy());
    });
    up.on("error", (err: NodeJS.ErrnoException) => {
      downUntil.set(port, Date.now() + 2000);
      // Refused: the request never reached the backend, so it is safe to send it elsewhere.
      if (err.code === "ECONNREFUSED" && tries < backends.length) return send(req, body, res, tries + 1);
      if (res.headersSent) return res.destroy();
      res.writeHead(502, { "content-type": "application/json", "x-backend": String(port) });
      res.end(JSON.stringify({ error: "bad_gateway", error_description: err.code ?? "upstream error" }));
    });
    up.end(body);
  };
  http
    .createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => send(req, Buffer.concat(chunks), res, 1));
    })
    .listen(listen, "127.0.0.1");
}

// ---- the run ----------------------------------------------------------------------------------

const startScript = () => (JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: { start: string } }).scripts.start;

async function main(): Promise<number> {
  try {
    readFileSync(path.join(ROOT, ".next", "BUILD_ID"));
    readFileSync(path.join(ROOT, "dist", "start.js"));
  } catch {
    throw new Error("No production build: run `npm run build` first.");
  }
  const seconds = Number(args.seconds);
  const databaseUrl = await freshDatabase(args.pg);
  const origin = `http://127.0.0.1:${PROXY}`;
  const admin = { email: "admin@two.invalid", password: randomBytes(18).toString("base64url") };
  // The same secret on every instance (README, "Configuration"): it encrypts the signing keys and the portal cookies.
  const secret = randomBytes(48).toString("base64url");
  const env = (port: number): NodeJS.ProcessEnv => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "latchkey-two-"));
    registerTempDir(dataDir);
    return {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(port),
      ISSUER: origin,
      DATABASE_URL: databaseUrl,
      LATCHKEY_SECRET: secret,
      DATA_DIR: dataDir,
      ADMIN_EMAIL: admin.email,
      ADMIN_PASSWORD: admin.password,
      ...LOAD_TEST_LIMITS,
      PATH: `${path.join(ROOT, "node_modules/.bin")}${path.delimiter}${process.env.PATH ?? ""}`,
    };
  };
  const start = async (name: string, port: number): Promise<Child> => {
    const child = startChild(name, "/bin/sh", ["-c", startScript()], { env: env(port) });
    await waitForHttp(`http://127.0.0.1:${port}/api/health`, child, 180_000);
    return child;
  };
  console.log(`two instances on PostgreSQL database ${DB_NAME}: A :${A}, B :${B}, round-robin proxy :${PROXY} (A alone: :${PROXY_A_ONLY})`);
  // One after the other: the first applies the migrations.
  await start("latchkey-a", A);
  const instanceB = await start("latchkey-b", B);
  const proxyArgs = (port: number, backends: number[]) => [path.join(ROOT, "scripts/faults/two-instances.ts"), "--proxy", String(port), ...backends.flatMap((b) => ["--backend", String(b)])];
  const tsx = path.join(ROOT, "node_modules/.bin/tsx");
  const proxies = [startChild("proxy", tsx, proxyArgs(PROXY, [A, B])), startChild("proxy-a", tsx, proxyArgs(PROXY_A_ONLY, [A]))];
  await waitForHttp(`${origin}/api/health`, proxies[0]!);
  await waitForHttp(`http://127.0.0.1:${PROXY_A_ONLY}/api/health`, proxies[1]!);

  // A client, a user signed in through the proxy, consent given (bench/lib/latchkey.ts does the same).
  const cliEnv = env(A);
  const client = await cli<{ client_id: string; client_secret: string }>(cliEnv, [
    "client", "create", "--name", "two instances", "--redirect-uri", REDIRECT_URI, "--grant-types", "authorization_code refresh_token client_credentials",
  ]);
  const user = { email: "two@two.invalid", password: randomBytes(18).toString("base64url") };
  const created = await cli<{ id: string }>(cliEnv, ["user", "create", "--email", user.email, "--password", user.password]);
  await grantConsent(databaseUrl, client.client_id, created.id, SCOPE.split(" "));
  const cookie = await signIn(origin, user);
  const ep: AuthorizeEndpoint = {
    ...tokenEndpoint("/oauth/token", client.client_id, client.client_secret),
    authorizePath: "/oauth/authorize",
    clientId: client.client_id,
    redirectUri: REDIRECT_URI,
    scope: SCOPE,
    cookie,
  };

  // ---- throughput: one instance vs two, through a proxy each ----
  const table: string[] = [];
  const runs = [["1 instance, no proxy (A)", A], ["1 instance (proxy -> A)", PROXY_A_ONLY], ["2 instances (proxy -> A, B)", PROXY]] as const;
  for (const [label, port] of runs) {
    const o = `http://127.0.0.1:${port}`;
    const cc = await measure(o, (rec) => clientCredentials(ep, rec), seconds);
    const rr = await measure(o, async (rec) => refreshRotation(ep, await refreshChains(o, ep, 20), rec), seconds);
    table.push(`${label.padEnd(28)} client_credentials ${rate(cc)}   refresh ${rate(rr)}`);
  }
  console.log(`\nthroughput, autocannon 16 connections, ${seconds} s each (ISSUER is the proxy's URL; A answers directly too):`);
  for (const line of table) console.log(`  ${line}`);

  // ---- the kill ----
  const run = new KillRun(origin, ep);
  const chains = await refreshChains(origin, ep, 8);
  const total = Math.max(9, seconds) * 1000;
  const done = run.drive(chains, 4, 2, total);
  await sleep(total / 3);
  const killedAt = performance.now();
  process.kill(-instanceB.pid, "SIGKILL");
  run.killedAt = killedAt;
  console.log(`\nkill -9 of instance B (process group ${instanceB.pid}) at ${(total / 3000).toFixed(1)} s of ${(total / 1000).toFixed(0)} s of load`);
  await done;
  await instanceB.exited;

  // ---- the checks ----
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  let missing = 0;
  try {
    const codes = run.codeResults.map((c) => sha256(c.code));
    const consumed = await db.query<{ n: string }>(`SELECT COUNT(*) AS n FROM "AuthorizationCode" WHERE "codeHash" = ANY($1) AND "consumedAt" IS NOT NULL`, [codes]);
    const refresh = run.tokens.map((t) => sha256(t.refresh));
    const refreshRows = await db.query<{ n: string }>(`SELECT COUNT(*) AS n FROM "RefreshToken" WHERE "tokenHash" = ANY($1)`, [refresh]);
    const jtis = run.tokens.map((t) => String(jwtClaims(t.access)?.jti ?? ""));
    const accessRows = await db.query<{ n: string }>(`SELECT COUNT(*) AS n FROM "AccessToken" WHERE "jti" = ANY($1)`, [jtis]);
    missing = codes.length - Number(consumed.rows[0]!.n) + refresh.length - Number(refreshRows.rows[0]!.n) + jtis.length - Number(accessRows.rows[0]!.n);
    console.log(`\nrequests: ${run.requests} sent, ${run.failures} failed (network error ${run.networkErrors}, 502 ${run.status502}, 503 ${run.status503}), all retried; gave up after 20 tries: ${run.gaveUp}`);
    console.log(`  hops: ${run.hops} of ${run.codeResults.length} code flows were authorized by one instance and redeemed at the other`);
    console.log(`  from the kill to the first failure: ${fmtMs(run.firstFailureAfterKill)}; to the last failure: ${fmtMs(run.lastFailureAfterKill)}`);
    console.log(`no lost grant: codes that got a token response ${codes.length}, consumed in the database ${consumed.rows[0]!.n}; token responses ${run.tokens.length}: refresh-token rows ${refreshRows.rows[0]!.n}, access-token rows ${accessRows.rows[0]!.n} -> missing ${missing}`);
    console.log(`  code redemptions retried after a lost response: ${run.codesLostResponse} (invalid_grant on retry: the code was used; RFC 6749 §4.1.2)`);
    console.log(`  client_credentials tokens: ${run.ccOk}`);
  } finally {
    await db.end();
  }
  const finalOk = await run.finalRefresh();
  console.log(`refresh chains: ${chains.length}; broken during the load by a retry after a lost response: ${run.chainsLostResponse}; other chain failures: ${run.chainsOtherFailure}`);
  console.log(`  every chain refreshed once more at the end: ${finalOk} of ${chains.length} succeed`);
  console.log(`  (a refresh whose response was lost is retried within REFRESH_REUSE_GRACE_SECONDS and gets the same response: issue 18 §1)`);
  for (const p of proxies) await stopChild(p);
  const problems = [
    ...(missing ? [`${missing} token rows or consumed codes missing (lost grants)`] : []),
    ...(run.gaveUp ? [`${run.gaveUp} requests gave up`] : []),
    ...(finalOk < chains.length ? [`${chains.length - finalOk} of ${chains.length} refresh chains broken (the lost-response case of issue 18 §1)`] : []),
  ];
  console.log(problems.length ? `\nFAILED: ${problems.join("; ")}` : "\nOK: no lost grant, no broken refresh chain");
  return problems.length ? 1 : 0;
}

async function freshDatabase(serverUrl: string): Promise<string> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${DB_NAME}`);
  } finally {
    await admin.end();
  }
  onCleanup(async () => {
    const c = new pg.Client({ connectionString: serverUrl });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`).finally(() => c.end());
  });
  const url = new URL(serverUrl);
  url.pathname = `/${DB_NAME}`;
  return url.toString();
}

/** next-auth credentials sign-in through the proxy: the CSRF pair may come from one instance and the POST go to the other. */
async function signIn(origin: string, user: { email: string; password: string }): Promise<string> {
  const jar = new CookieJar();
  const csrf = await fetchRaw(`${origin}/api/auth/csrf`, {}, jar);
  const { csrfToken } = JSON.parse(csrf.text) as { csrfToken: string };
  const r = await fetchRaw(
    `${origin}/api/auth/callback/credentials`,
    { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: form({ csrfToken, email: user.email, password: user.password, json: "true" }) },
    jar,
  );
  if (!jar.has(SESSION_COOKIE)) throw new Error(`sign-in through the proxy set no session cookie: ${describeResponse(r)}`);
  // No sticky sessions: next-auth's CSRF pair is a cookie signed with the shared secret.
  console.log(`sign-in through the proxy: CSRF pair from :${csrf.headers.get("x-backend")}, credentials POST answered by :${r.headers.get("x-backend")}`);
  return jar.header();
}

async function measure(origin: string, requests: (rec: Recorder) => ReturnType<typeof clientCredentials> | Promise<ReturnType<typeof clientCredentials>>, seconds: number): Promise<ScenarioResult> {
  const rec = new Recorder();
  return runLoad({ origin, connections: 16, durationS: seconds, requests: await requests(rec) }, rec, "load", "tokens/s");
}
const rate = (r: ScenarioResult) => `${r.perSecond.toFixed(0).padStart(5)}/s (p50 ${r.latencyMs.p50} ms, p99 ${r.latencyMs.p99} ms, errors ${r.errors})`;
const fmtMs = (ms: number | null) => (ms === null ? "none" : `${Math.round(ms)} ms`);

/** The load of the kill phase: every request retried on a network error, 502 or 503. */
class KillRun {
  killedAt: number | null = null;
  requests = 0;
  failures = 0;
  networkErrors = 0;
  status502 = 0;
  status503 = 0;
  gaveUp = 0;
  hops = 0;
  ccOk = 0;
  codesLostResponse = 0;
  chainsLostResponse = 0;
  chainsOtherFailure = 0;
  firstFailureAfterKill: number | null = null;
  lastFailureAfterKill: number | null = null;
  readonly codeResults: Array<{ code: string }> = [];
  readonly tokens: Array<{ access: string; refresh: string }> = [];
  private chains: Array<{ token: string; broken: boolean }> = [];

  constructor(
    private readonly origin: string,
    private readonly ep: AuthorizeEndpoint,
  ) {}

  /** One request, retried while it fails for want of an instance; the response and how many tries it took. */
  private async send(url: string, init: RequestInit): Promise<{ r: Fetched | null; tries: number }> {
    for (let tries = 1; tries <= 20; tries++) {
      this.requests++;
      let r: Fetched | null = null;
      try {
        r = await fetchRaw(url, init);
      } catch {
        this.networkErrors++;
      }
      if (r && r.status !== 502 && r.status !== 503) return { r, tries };
      if (r?.status === 502) this.status502++;
      if (r?.status === 503) this.status503++;
      this.failures++;
      if (this.killedAt !== null) {
        const since = performance.now() - this.killedAt;
        this.firstFailureAfterKill ??= since;
        this.lastFailureAfterKill = since;
      }
      await sleep(100);
    }
    this.gaveUp++;
    return { r: null, tries: 20 };
  }

  private post(body: string) {
    return this.send(`${this.origin}${this.ep.tokenPath}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: this.ep.basic },
      body,
    });
  }

  async drive(chains: string[], codeWorkers: number, ccWorkers: number, ms: number): Promise<void> {
    this.chains = chains.map((token) => ({ token, broken: false }));
    const until = performance.now() + ms;
    const code = async () => {
      while (performance.now() < until) {
        const { verifier, challenge } = pkcePair();
        const state = randomState();
        const auth = await this.send(`${this.origin}${this.ep.authorizePath}?${authorizeQuery(this.ep, state, challenge)}`, { headers: { cookie: this.ep.cookie } });
        const got = auth.r && codeFromRedirect(auth.r.headers.get("location") ?? undefined, this.ep.redirectUri, state);
        if (!got?.code) continue;
        const tok = await this.post(form({ grant_type: "authorization_code", code: got.code, redirect_uri: this.ep.redirectUri, code_verifier: verifier }));
        if (tok.r?.status === 200) {
          const body = JSON.parse(tok.r.text) as { access_token: string; refresh_token: string };
          this.codeResults.push({ code: got.code });
          this.tokens.push({ access: body.access_token, refresh: body.refresh_token });
          if (auth.r!.headers.get("x-backend") !== tok.r.headers.get("x-backend")) this.hops++;
        } else if (tok.tries > 1 && tok.r?.status === 400) this.codesLostResponse++;
      }
    };
    const chain = async (c: { token: string; broken: boolean }) => {
      while (performance.now() < until && !c.broken) {
        const { r, tries } = await this.post(form({ grant_type: "refresh_token", refresh_token: c.token }));
        if (r?.status === 200) {
          const body = JSON.parse(r.text) as { access_token: string; refresh_token: string };
          c.token = body.refresh_token;
          this.tokens.push({ access: body.access_token, refresh: body.refresh_token });
        } else {
          c.broken = true;
          if (tries > 1 && r?.status === 400) this.chainsLostResponse++;
          else this.chainsOtherFailure++;
        }
      }
    };
    const cc = async () => {
      while (performance.now() < until) if ((await this.post("grant_type=client_credentials")).r?.status === 200) this.ccOk++;
    };
    await Promise.all([...Array.from({ length: codeWorkers }, code), ...this.chains.map(chain), ...Array.from({ length: ccWorkers }, cc)]);
  }

  /** Every chain refreshes once more (broken ones included: does the family still work?). */
  async finalRefresh(): Promise<number> {
    let ok = 0;
    for (const c of this.chains) if ((await this.post(form({ grant_type: "refresh_token", refresh_token: c.token }))).r?.status === 200) ok++;
    return ok;
  }
}

if (args.proxy) {
  runProxy(Number(args.proxy), args.backend.map(Number));
} else {
  runMain(main, { stack: true });
}
