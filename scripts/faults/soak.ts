// Soak (issue 18; not in CI): a mixed token load for minutes, watching for leaks and drift.
//
//   npm run build && npx tsx scripts/faults/soak.ts [--minutes 10] [--db sqlite|postgres] [--port 3231]
//
// 1. Starts Latchkey as `npm start` serves it in production (bench/lib/latchkey.ts), SQLite by
//    default, with PURGE_INTERVAL_SECONDS=60 so the purge of expired rows runs during the soak.
// 2. Drives 16 connections for --minutes: 4 client_credentials workers, 8 refresh chains (each
//    strictly sequential: every refresh presents the token the previous one returned) and 4
//    authorization-code workers (GET authorize with the signed-in session, then POST token with
//    the PKCE verifier, RFC 7636 §4.5).
// 3. Every minute prints one line: requests and errors (any unexpected status or network error)
//    per kind, p50/p99 latency of every request, the serving process's RSS (VmRSS, as the bench
//    reads it), the database's size (SQLite: the file and its WAL) and the purge's runs so far
//    (latchkey_purge_runs_total from GET /metrics).
// 4. At the end: one more refresh on every chain, SIGTERM to the server (it must exit 0), then
//    PRAGMA integrity_check on the SQLite file opened read-only.
// Exit 1 if a request failed, a chain no longer refreshes, the server did not exit 0 or the
// integrity check is not "ok".
import { subscribe } from "node:diagnostics_channel";
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { parseArgs } from "node:util";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { fetchRaw, form, pkcePair, randomState } from "../../bench/lib/http";
import { startLatchkey } from "../../bench/lib/latchkey";
import { authorizeQuery, codeFromRedirect, percentiles } from "../../bench/lib/load";
import { ROOT, runMain, sleep } from "../../bench/lib/proc";
import { refreshChains } from "../../bench/lib/target";

const { values: args } = parseArgs({
  options: {
    minutes: { type: "string", default: "10" },
    db: { type: "string", default: "sqlite" },
    port: { type: "string", default: "3231" },
  },
  strict: true,
});
const MINUTES = Number(args.minutes);
const DB = args.db;
const PORT = Number(args.port);
const CC_WORKERS = 4;
const CHAINS = 8;
const CODE_WORKERS = 4;
const PURGE_INTERVAL_SECONDS = 60;
const KINDS = ["client_credentials", "refresh", "authorize", "code"] as const;
type Kind = (typeof KINDS)[number];

/** What one minute saw. */
class Bucket {
  readonly requests = new Map<Kind, number>(KINDS.map((k) => [k, 0]));
  readonly errors = new Map<Kind, number>(KINDS.map((k) => [k, 0]));
  readonly latencies: number[] = [];
  readonly byKind = new Map<Kind, number[]>(KINDS.map((k) => [k, []]));
  readonly samples: string[] = [];

  add(kind: Kind, ms: number, problem?: string) {
    this.requests.set(kind, this.requests.get(kind)! + 1);
    this.latencies.push(ms);
    this.byKind.get(kind)!.push(ms);
    if (problem) {
      this.errors.set(kind, this.errors.get(kind)! + 1);
      if (this.samples.length < 5) this.samples.push(`${kind}: ${problem}`);
    }
  }
}

/**
 * The server's ChildProcess (its exit code is a check), from Node's built-in `child_process`
 * diagnostics channel: published when a child is created, so it is matched by pid later (the
 * start script execs node, so the child startLatchkey spawns is the serving process itself).
 */
function watchChildren(): (pid: number) => ChildProcess | undefined {
  const seen: ChildProcess[] = [];
  subscribe("child_process", (message) => {
    seen.push((message as { process: ChildProcess }).process);
  });
  return (pid) => seen.find((p) => p.pid === pid);
}

async function main(): Promise<number> {
  try {
    readFileSync(path.join(ROOT, ".next", "BUILD_ID"));
    readFileSync(path.join(ROOT, "dist", "start.js"));
  } catch {
    throw new Error("No production build: run `npm run build` first.");
  }
  if (!(MINUTES > 0)) throw new Error("--minutes must be a positive number");
  if (DB !== "sqlite" && DB !== "postgres") throw new Error("--db must be sqlite or postgres");

  // startLatchkey passes its own environment on to the server.
  process.env.PURGE_INTERVAL_SECONDS = String(PURGE_INTERVAL_SECONDS);
  const metricsToken = randomBytes(24).toString("hex");
  process.env.METRICS_TOKEN = metricsToken;
  const childByPid = watchChildren();

  console.log(`soak: Latchkey (production build, ${DB}) on port ${PORT}, ${MINUTES} min, ${CC_WORKERS} client_credentials + ${CHAINS} refresh chains + ${CODE_WORKERS} code flows = ${CC_WORKERS + CHAINS + CODE_WORKERS} connections, PURGE_INTERVAL_SECONDS=${PURGE_INTERVAL_SECONDS}`);
  const pgServerUrl = process.env.BENCH_PG_URL || process.env.PG_TEST_URL || "postgresql://postgres@127.0.0.1:5432/postgres";
  const target = await startLatchkey({ db: DB, pgServerUrl, redirectUri: "http://127.0.0.1:9/cb", scope: "openid offline_access", port: PORT });
  const server = childByPid(target.servingPid());
  if (!server) throw new Error(`the serving process (pid ${target.servingPid()}) is not a child started by startLatchkey`);
  const exitCode = new Promise<number | null>((resolve) => {
    if (server.exitCode !== null || server.signalCode !== null) resolve(server.exitCode);
    else server.once("exit", (code) => resolve(code));
  });
  for (const note of target.notes) console.log(`  ${note}`);

  const ep = await target.authorize();
  const tokenUrl = `${target.origin}${ep.tokenPath}`;
  const post = (body: string) =>
    fetchRaw(tokenUrl, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", authorization: ep.basic }, body });
  const chains = await refreshChains(target.origin, ep, CHAINS);
  const dbFile = DB === "sqlite" ? target.databaseUrl!.slice("file:".length) : undefined;
  const pgClient = DB === "postgres" ? new pg.Client({ connectionString: target.databaseUrl }) : undefined;
  await pgClient?.connect();

  let bucket = new Bucket();
  const all: Bucket[] = [];
  let running = true;

  /** One request: its latency and whether it was what the kind expects. */
  async function timed<T>(kind: Kind, send: () => Promise<T>, check: (r: T) => string | undefined): Promise<T | undefined> {
    const t0 = performance.now();
    try {
      const r = await send();
      const problem = check(r);
      bucket.add(kind, performance.now() - t0, problem);
      return problem ? undefined : r;
    } catch (err) {
      bucket.add(kind, performance.now() - t0, `network: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    }
  }
  const status = (expected: number[]) => (r: { status: number; text: string }) =>
    expected.includes(r.status) ? undefined : `HTTP ${r.status} ${r.text.slice(0, 160)}`;

  const ccWorker = async () => {
    while (running) await timed("client_credentials", () => post("grant_type=client_credentials"), status([200]));
  };
  const chainWorker = async (i: number) => {
    while (running) {
      let answered = false;
      const r = await timed(
        "refresh",
        () => post(form({ grant_type: "refresh_token", refresh_token: chains[i]! })),
        (res) => {
          answered = true;
          return status([200])(res);
        },
      );
      if (r) chains[i] = (JSON.parse(r.text) as { refresh_token: string }).refresh_token;
      // An HTTP error ends the chain (the final check reports it); a lost response is retried
      // with the same token, as a client would (the reuse grace answers it again).
      else if (answered) return;
      else await sleep(100);
    }
  };
  const codeWorker = async () => {
    while (running) {
      const { verifier, challenge } = pkcePair();
      const state = randomState();
      let code: string | null = null;
      await timed(
        "authorize",
        () => fetchRaw(`${target.origin}${ep.authorizePath}?${authorizeQuery(ep, state, challenge)}`, { headers: { cookie: ep.cookie } }),
        (r) => {
          const got = codeFromRedirect(r.headers.get("location") ?? undefined, ep.redirectUri, state);
          code = got.code;
          return r.status >= 300 && r.status < 400 && code ? undefined : `HTTP ${r.status} ${got.why ?? ""}`;
        },
      );
      if (!code) continue;
      const c: string = code;
      await timed(
        "code",
        () => post(form({ grant_type: "authorization_code", code: c, redirect_uri: ep.redirectUri, code_verifier: verifier })),
        status([200]),
      );
    }
  };

  async function purgeRuns(): Promise<string> {
    try {
      const r = await fetchRaw(`${target.origin}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } });
      const ok = /^latchkey_purge_runs_total\{[^}]*result="ok"[^}]*\}\s+(\S+)/m.exec(r.text)?.[1] ?? "0";
      const failed = /^latchkey_purge_runs_total\{[^}]*result="failed"[^}]*\}\s+(\S+)/m.exec(r.text)?.[1] ?? "0";
      const rows = [...r.text.matchAll(/^latchkey_purged_rows_total\{[^}]*\}\s+(\S+)/gm)].reduce((a, m) => a + Number(m[1]), 0);
      return `${ok} ok/${failed} failed, ${rows} rows`;
    } catch (err) {
      return `metrics unreachable (${err instanceof Error ? err.message : String(err)})`;
    }
  }
  const mb = (bytes: number) => (bytes / 1e6).toFixed(1);
  async function dbSize(): Promise<string> {
    if (dbFile) {
      const size = (f: string) => (existsSync(f) ? statSync(f).size : 0);
      return `${mb(size(dbFile))} + WAL ${mb(size(`${dbFile}-wal`))}`;
    }
    const r = await pgClient!.query<{ size: string }>("SELECT pg_database_size(current_database())::text AS size");
    return mb(Number(r.rows[0]!.size));
  }

  const header = `| min | ${KINDS.map((k) => `${k} req`).join(" | ")} | errors (cc/refresh/authorize/code) | p50 ms | p99 ms | RSS MB | DB MB | purge runs |`;
  console.log(`\n${header}\n|${"---|".repeat(header.split("|").length - 2)}`);
  const line = async (label: string, b: Bucket) => {
    const p = percentiles(b.latencies);
    const errors = KINDS.map((k) => b.errors.get(k)).join("/");
    console.log(`| ${label} | ${KINDS.map((k) => b.requests.get(k)).join(" | ")} | ${errors} | ${p.p50} | ${p.p99} | ${target.memory().rssMB} | ${await dbSize()} | ${await purgeRuns()} |`);
    for (const s of b.samples) console.log(`    ${s}`);
  };

  const started = performance.now();
  const endAt = started + MINUTES * 60_000;
  const load = Promise.all([
    ...Array.from({ length: CC_WORKERS }, ccWorker),
    ...chains.map((_, i) => chainWorker(i)),
    ...Array.from({ length: CODE_WORKERS }, codeWorker),
  ]);
  for (let minute = 1; performance.now() < endAt; minute++) {
    await sleep(Math.max(0, Math.min(started + minute * 60_000, endAt) - performance.now()));
    const done = bucket;
    bucket = new Bucket();
    all.push(done);
    await line(String(minute), done);
  }
  running = false;
  await load;
  const seconds = (performance.now() - started) / 1000;
  const rest = bucket; // what finished after the last line
  all.push(rest);

  const total = new Bucket();
  for (const b of all) {
    for (const k of KINDS) {
      total.requests.set(k, total.requests.get(k)! + b.requests.get(k)!);
      total.errors.set(k, total.errors.get(k)! + b.errors.get(k)!);
    }
    for (const l of b.latencies) total.latencies.push(l);
    for (const k of KINDS) for (const l of b.byKind.get(k)!) total.byKind.get(k)!.push(l);
  }
  const requests = KINDS.reduce((a, k) => a + total.requests.get(k)!, 0);
  const errors = KINDS.reduce((a, k) => a + total.errors.get(k)!, 0);
  const p = percentiles(total.latencies);
  const peak = target.memory().peakRssMB;
  console.log(`\ntotals: ${requests} requests in ${seconds.toFixed(0)} s (${(requests / seconds).toFixed(1)}/s): ${KINDS.map((k) => `${k} ${total.requests.get(k)}`).join(", ")}`);
  console.log(`errors: ${errors} (${KINDS.map((k) => `${k} ${total.errors.get(k)}`).join(", ")})`);
  console.log(`latency ms, every request: p50 ${p.p50} p90 ${p.p90} p99 ${p.p99} max ${p.max}; peak RSS (VmHWM) ${peak} MB`);
  console.log(`latency ms by kind: ${KINDS.map((k) => { const q = percentiles(total.byKind.get(k)!); return `${k} p50 ${q.p50} p99 ${q.p99}`; }).join("; ")}`);

  // Every chain must still refresh (RFC 6749 §6): none was revoked as a reuse along the way.
  let refreshing = 0;
  for (const [i, token] of chains.entries()) {
    const r = await post(form({ grant_type: "refresh_token", refresh_token: token }));
    if (r.status === 200) refreshing++;
    else console.log(`  chain ${i}: HTTP ${r.status} ${r.text.slice(0, 200)}`);
  }
  console.log(`refresh chains that still refresh: ${refreshing} of ${CHAINS}`);
  const complaints = target.complaints();
  console.log(`server error/warning lines: ${complaints.count}${complaints.first.length ? `: ${complaints.first.join(" | ")}` : ""}`);
  console.log(`purge runs: ${await purgeRuns()}; database ${await dbSize()} MB`);
  await pgClient?.end();

  // SIGTERM to the server (its process group, as stopChild sends it) and its exit code.
  const stopStarted = performance.now();
  process.kill(-server.pid!, "SIGTERM");
  const code = await Promise.race([exitCode, sleep(30_000).then(() => "no exit within 30 s")]);
  console.log(`server after SIGTERM: ${typeof code === "number" ? `exit ${code}` : String(code)} in ${((performance.now() - stopStarted) / 1000).toFixed(1)} s`);

  let integrity = "n/a (PostgreSQL)";
  if (dbFile) {
    const sqlite = new Database(dbFile, { readonly: true, fileMustExist: true });
    try {
      integrity = String(sqlite.pragma("integrity_check", { simple: true }));
    } finally {
      sqlite.close();
    }
    console.log(`integrity_check (read-only, after the server stopped): ${integrity}`);
  }
  await target.stop();

  const failed = errors > 0 || refreshing !== CHAINS || code !== 0 || (dbFile !== undefined && integrity !== "ok");
  console.log(failed ? "\nFAILED" : "\nOK: 0 errors, every chain refreshes, clean exit, integrity ok");
  return failed ? 1 : 0;
}

runMain(main);
