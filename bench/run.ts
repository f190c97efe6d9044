// `npm run bench`: Latchkey (production build, SQLite and PostgreSQL) side by side with
// node-oidc-provider, and the floors (jose ES256 signing, bare node:http), in one run (issue 4).
//
//   npm run bench                     per scenario and server: 3 s warm-up + 3 measured rounds of
//                                     5 s, the servers' rounds alternated (about 5 minutes)
//   npm run bench -- --quick          1 s warm-up + 1 round of 3 s, for development
//   npm run bench -- --only latchkey-sqlite,oidc-provider      (also: latchkey-postgres, floor)
//   npm run bench -- --build          run `npm run build` first even if a build exists
//   BENCH_WARMUP=5 BENCH_DURATION=10 BENCH_ROUNDS=5   seconds, seconds per round, rounds;  BENCH_PG_URL (else PG_TEST_URL, else
//   postgresql://postgres@127.0.0.1:5432/postgres): where the throw-away database is created.
//   BENCH_VERBOSE=1 echoes the servers' output; BENCH_MEMTRACE=1 logs the server's RSS after every phase.
//
// Prints a table and writes bench/results/<timestamp>.json. Exits 1 when a scenario could not
// run or saw errors (non-2xx/3xx where not expected, connection errors, timeouts).
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { PASSWORD_HASH_PARAMS } from "../lib/auth/password";
import { joseSigningFloor } from "./lib/floor";
import { cpuPerUnit, cpuSample } from "./lib/cpu";
import { startLatchkey } from "./lib/latchkey";
import {
  clientCredentials,
  hotCodeFlow,
  passwordSignIn,
  pooled,
  Recorder,
  refreshRotation,
  runLoad,
  trivialGet,
  type Phase,
  type ScenarioResult,
} from "./lib/load";
import { startOidcProvider } from "./lib/oidc-provider";
import { cleanupAll, freePort, listenerPid, memoryOf, ROOT, startChild, stopChild, waitForHttp, type Memory } from "./lib/proc";
import { ran, ratiosAndChecks, render, type FloorResult, type NotRun, type Outcome, type Results, type ScenarioKey, type TargetResult } from "./lib/report";
import { probeClientCredentials, refreshChains, type Target } from "./lib/target";
import type autocannon from "autocannon";

const REDIRECT_URI = "http://127.0.0.1:9/cb";
const SCOPE = "openid offline_access";
const ALL = ["floor", "latchkey-sqlite", "latchkey-postgres", "oidc-provider"] as const;
type Part = (typeof ALL)[number];

const { values: args } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    build: { type: "boolean", default: false },
    only: { type: "string" },
    help: { type: "boolean", default: false },
  },
  strict: true,
});
if (args.help) {
  console.log("npm run bench [-- --quick] [--build] [--only floor,latchkey-sqlite,latchkey-postgres,oidc-provider]");
  process.exit(0);
}

const seconds = (name: string, fallback: number) => {
  const v = process.env[name];
  if (v === undefined || v === "") return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a number of seconds, got "${v}"`);
  return n;
};
const count = (name: string, fallback: number) => {
  const v = process.env[name];
  if (v === undefined || v === "") return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a whole number of at least 1, got "${v}"`);
  return n;
};
const settings = {
  connections: Number(process.env.BENCH_CONNECTIONS || 16),
  warmupS: seconds("BENCH_WARMUP", args.quick ? 1 : 3),
  /** Per measured round; each server runs `rounds` of them per scenario, alternated with the others'. */
  durationS: seconds("BENCH_DURATION", args.quick ? 3 : 5),
  rounds: count("BENCH_ROUNDS", args.quick ? 1 : 3),
  quick: args.quick,
  loadGenerator: `autocannon ${readVersion("autocannon")} (in this process, same machine)`,
};
const parts = new Set<Part>(
  args.only
    ? args.only.split(",").map((p) => {
        if (!(ALL as readonly string[]).includes(p.trim())) throw new Error(`--only: unknown part "${p}"; known: ${ALL.join(", ")}`);
        return p.trim() as Part;
      })
    : ALL,
);
const pgServerUrl = process.env.BENCH_PG_URL || process.env.PG_TEST_URL || "postgresql://postgres@127.0.0.1:5432/postgres";

function readVersion(pkg: string): string {
  try {
    return (JSON.parse(readFileSync(path.join(ROOT, "node_modules", pkg, "package.json"), "utf8")) as { version: string }).version;
  } catch {
    return "?";
  }
}

const log = (msg: string) => console.error(`» ${msg}`);
/** Set by SIGINT/SIGTERM/SIGHUP: clean-up is under way, nothing more is started or reported. */
let interrupted = false;
const memtrace = !!process.env.BENCH_MEMTRACE;

// ---- the production build ----------------------------------------------------------------

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name.startsWith(".") || entry.name === "generated") continue;
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

function ensureBuild(notes: string[]) {
  // `npm run build`: Next's build (.next/) and the server bundled for plain node (dist/start.js).
  const outputs = [path.join(ROOT, ".next/BUILD_ID"), path.join(ROOT, "dist/start.js")];
  if (outputs.every((f) => existsSync(f)) && !args.build) {
    const sources = Math.max(...["app", "components", "lib", "scripts"].map((d) => (existsSync(path.join(ROOT, d)) ? newestMtime(path.join(ROOT, d)) : 0)));
    if (sources > Math.min(...outputs.map((f) => statSync(f).mtimeMs))) {
      const msg = "the production build (.next, dist) is older than app/, components/, lib/ or scripts/: run with --build to measure the current code";
      log(`WARNING: ${msg}`);
      notes.push(`WARNING: ${msg}`);
    }
    return;
  }
  log("npm run build (the production build `npm start` serves)…");
  const t0 = Date.now();
  const r = spawnSync("npm", ["run", "--silent", "build"], {
    cwd: ROOT,
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (r.status !== 0) throw new Error(`npm run build failed (exit ${r.status})`);
  notes.push(`npm run build took ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}

// ---- running scenarios ---------------------------------------------------------------------
//
// Every server under test is started first and stays up; then, scenario by scenario, each gets
// its warm-up and the measured rounds alternate between them (A B C, B C A, C A B, …). This
// machine's speed drifts (±30% within an hour has been seen): measured one after another, minutes
// apart, the servers would be compared at different speeds; alternated in short rounds, each
// server's pooled figure spans the same stretch of time as the others'.

/** The requests of one phase; state they need (chains, a session) is made right before it. */
type Build = (rec: Recorder, phase: Phase) => autocannon.Request[] | Promise<autocannon.Request[]>;

/** A server in the measuring loop: where to send the load and where to count its CPU. */
interface Subject {
  label: string;
  origin: string;
  pid: () => number;
  postgres: boolean;
  memory: () => Memory;
  /** Receives the warm-up's outcome; null for the floor. */
  out: TargetResult | null;
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

async function runPhase(s: Subject, title: string, unit: string, build: Build, phase: Phase, durationS: number) {
  const rec = new Recorder();
  const requests = await build(rec, phase);
  const pid = s.pid();
  const before = cpuSample(pid, s.postgres);
  const result = await runLoad({ origin: s.origin, connections: settings.connections, durationS, requests }, rec, title, unit);
  const cpu = cpuPerUnit(before, cpuSample(pid, s.postgres), result.completed);
  if (memtrace) log(`    memory of ${s.label} after ${title} (${phase}): ${JSON.stringify(s.memory())}`);
  return { rec, result: cpu ? { ...result, cpu } : result };
}

/**
 * One scenario on every subject that can run it: a warm-up each, then `settings.rounds` measured
 * rounds in rotating order, pooled per subject. A subject whose phase throws is out of this
 * scenario (the reason is its outcome); the others go on.
 */
async function measureScenario(key: ScenarioKey, title: string, unit: string, entries: Array<{ s: Subject; build: Build }>, afterWarmup?: (s: Subject) => void): Promise<Map<Subject, Outcome>> {
  const outcomes = new Map<Subject, Outcome>();
  let live = [...entries];
  const drop = (e: (typeof entries)[number], err: unknown) => {
    outcomes.set(e.s, { scenario: title, notRun: message(err) });
    live = live.filter((x) => x !== e);
  };
  if (settings.warmupS > 0) {
    for (const e of [...live]) {
      try {
        const w = await runPhase(e.s, title, unit, e.build, "warmup", settings.warmupS);
        if (e.s.out) e.s.out.warmups[key] = { completed: w.result.completed, errors: w.result.errors, errorSamples: w.result.errorSamples };
        afterWarmup?.(e.s);
      } catch (err) {
        drop(e, err);
      }
    }
  }
  const rounds = new Map<Subject, Array<{ rec: Recorder; result: ScenarioResult }>>(live.map((e) => [e.s, []]));
  for (let r = 0; r < settings.rounds && !interrupted; r++) {
    const order = live.map((_, i) => live[(i + r) % live.length]!);
    for (const e of order) {
      if (!live.includes(e)) continue;
      try {
        rounds.get(e.s)!.push(await runPhase(e.s, title, unit, e.build, "measure", settings.durationS));
      } catch (err) {
        drop(e, err);
      }
    }
  }
  for (const e of live) {
    const measured = rounds.get(e.s)!;
    if (measured.length === 0) {
      outcomes.set(e.s, { scenario: title, notRun: "no measured round (interrupted)" });
      continue;
    }
    const p = pooled(measured);
    const cpu = p.cpu ? `; CPU µs per unit: server ${p.cpu.serverUs} (main thread ${p.cpu.mainThreadUs})${p.cpu.postgresUs !== undefined ? `, PostgreSQL ${p.cpu.postgresUs}` : ""}, load generator ${p.cpu.loadGeneratorUs}; machine ${p.cpu.machineBusyPct}% busy` : "";
    log(`  ${e.s.label} ${title}: ${p.perSecond} ${unit} (rounds ${p.rounds!.map((x) => Math.round(x.perSecond)).join(" / ")}), p50 ${p.latencyMs.p50} ms, p99 ${p.latencyMs.p99} ms, errors ${p.errors}${cpu}`);
    outcomes.set(e.s, p);
  }
  return outcomes;
}

interface Running {
  t: Target;
  s: Subject;
  out: TargetResult;
}

async function startTarget(start: () => Promise<Target>, label: string, key: TargetResult["key"]): Promise<Running | TargetResult> {
  const out: TargetResult = { key, label, notes: [], memory: {}, scenarios: {}, warmups: {} };
  if (interrupted) return { ...out, failed: "interrupted" };
  log(`${label}: starting…`);
  try {
    const t = await start();
    out.notes.push(...t.notes);
    return { t, out, s: { label, origin: t.origin, pid: () => t.servingPid(), postgres: key === "latchkeyPostgres", memory: () => t.memory(), out } };
  } catch (err) {
    out.failed = message(err);
    log(`${label}: could not start: ${out.failed}`);
    return out;
  }
}

/** Each scenario on every running server; the servers are stopped by the caller. */
async function measureAll(running: Running[]): Promise<void> {
  const recordWarm = (s: Subject) => {
    const r = running.find((x) => x.s === s);
    if (r) r.out.memory.afterWarmup ??= r.t.memory();
  };
  const into = (key: ScenarioKey, outcomes: Map<Subject, Outcome>) => {
    for (const r of running) {
      const o = outcomes.get(r.s);
      if (o) r.out.scenarios[key] = o;
    }
  };
  const prepared = async (key: ScenarioKey, title: string, prepare: (r: Running) => Promise<Build | NotRun>) => {
    const entries: Array<{ s: Subject; build: Build }> = [];
    for (const r of running) {
      try {
        const b = await prepare(r);
        if (typeof b === "function") entries.push({ s: r.s, build: b });
        else r.out.scenarios[key] = b;
      } catch (err) {
        r.out.scenarios[key] = { scenario: title, notRun: message(err) };
      }
    }
    return entries;
  };

  log("client_credentials…");
  let entries = await prepared("clientCredentials", "client_credentials", async (r) => {
    r.out.notes.push(`client_credentials ${await probeClientCredentials(r.t.origin, r.t.token())}`);
    const ep = r.t.token();
    return (rec) => clientCredentials(ep, rec);
  });
  into("clientCredentials", await measureScenario("clientCredentials", "client_credentials", "req/s", entries, recordWarm));

  // The same with `resource` (RFC 8707): an audience-bound token for a registered API.
  log("client_credentials with resource…");
  entries = await prepared("clientCredentialsResource", "client_credentials + resource", async (r) => {
    r.out.notes.push(`client_credentials + resource ${await probeClientCredentials(r.t.origin, r.t.token(), true)}`);
    const ep = r.t.token();
    return (rec) => clientCredentials(ep, rec, true);
  });
  into("clientCredentialsResource", await measureScenario("clientCredentialsResource", "client_credentials + resource", "req/s", entries, recordWarm));

  // A signed-in session with consent given. State is made right before each phase
  // (t.authorize() is fresh for oidc-provider, whose default adapter is an LRU that evicts what
  // the load does not touch), and every phase gets fresh chains: a request cut off at the end of
  // the previous phase may have rotated its chain. A few spare chains replace chains that fail.
  const signedIn = async (r: Running, title: string): Promise<NotRun | null> => {
    try {
      await r.t.authorize();
      return null;
    } catch (err) {
      return { scenario: title, notRun: `no signed-in, consented session: ${message(err)}` };
    }
  };
  log("refresh rotation…");
  const n = settings.connections + 4;
  entries = await prepared("refreshRotation", "refresh rotation", async (r) =>
    (await signedIn(r, "refresh rotation")) ?? (async (rec: Recorder) => {
      const ep = await r.t.authorize();
      return refreshRotation(ep, await refreshChains(r.t.origin, ep, n), rec);
    }),
  );
  into("refreshRotation", await measureScenario("refreshRotation", "refresh rotation", "tokens/s", entries, recordWarm));

  log("hot code flow…");
  entries = await prepared("codeFlow", "hot code flow", async (r) => (await signedIn(r, "hot code flow")) ?? (async (rec: Recorder) => hotCodeFlow(await r.t.authorize(), rec)));
  into("codeFlow", await measureScenario("codeFlow", "hot code flow", "flows/s", entries, recordWarm));

  log("password sign-in…");
  entries = await prepared("passwordSignIn", "password sign-in", async (r) => {
    const ep = await r.t.signIn();
    return ep ? (rec: Recorder) => passwordSignIn(ep, rec) : { scenario: "password sign-in", notRun: "n/a: oidc-provider has no user store (login is the application's)" };
  });
  into("passwordSignIn", await measureScenario("passwordSignIn", "password sign-in", "sign-ins/s", entries, recordWarm));

  for (const r of running) {
    r.out.memory.afterLoad = r.t.memory();
    const c = r.t.complaints();
    if (c.count > 0) r.out.notes.push(`the server printed ${c.count} error/warning lines, e.g. ${c.first.map((l) => `"${l}"`).join("; ")}`);
  }
}

async function measureFloor(): Promise<FloorResult> {
  const floor: FloorResult = {};
  try {
    log("floor: jose ES256 signing on one core…");
    floor.jose = await joseSigningFloor(Math.min(3, Math.max(1, settings.durationS)));
    log(`  ${floor.jose.perSecond} signatures/s`);
    log("floor: bare node:http server…");
    const port = await freePort();
    const child = startChild("floor", process.execPath, ["--import", "tsx", "bench/floor-server.ts"], { env: { ...process.env, PORT: String(port) } });
    try {
      await waitForHttp(`http://127.0.0.1:${port}/`, child, 30_000);
      const pid = () => listenerPid(child.pid, port) ?? child.pid;
      const s: Subject = { label: "floor", origin: `http://127.0.0.1:${port}`, pid, postgres: false, memory: () => memoryOf(pid(), child.pid), out: null };
      const o = (await measureScenario("clientCredentials", "node:http 200 {}", "req/s", [{ s, build: (rec) => trivialGet(rec) }])).get(s);
      if (!o || !ran(o)) throw new Error(o ? o.notRun : "not measured");
      floor.nodeHttp = { ...o, memory: s.memory() };
    } finally {
      await stopChild(child);
    }
  } catch (err) {
    floor.failed = message(err);
  }
  return floor;
}

async function main(): Promise<number> {
  const started = new Date();
  const notes: string[] = [];
  ensureBuild(notes);

  const floor: FloorResult = parts.has("floor") ? await measureFloor() : {};
  const started_: Array<Running | TargetResult> = [];
  if (parts.has("latchkey-sqlite")) {
    started_.push(await startTarget(() => startLatchkey({ db: "sqlite", pgServerUrl, redirectUri: REDIRECT_URI, scope: SCOPE }), "latchkey-sqlite", "latchkeySqlite"));
  }
  if (parts.has("latchkey-postgres")) {
    started_.push(await startTarget(() => startLatchkey({ db: "postgres", pgServerUrl, redirectUri: REDIRECT_URI, scope: SCOPE }), "latchkey-postgres", "latchkeyPostgres"));
  }
  if (parts.has("oidc-provider")) {
    started_.push(await startTarget(() => startOidcProvider(REDIRECT_URI, SCOPE), "oidc-provider", "oidcProvider"));
  }
  const running = started_.filter((x): x is Running => "t" in x);
  try {
    await measureAll(running);
  } finally {
    for (const r of running) await r.t.stop().catch((err: unknown) => log(`${r.out.label}: stop failed: ${message(err)}`));
  }
  const targets = started_.map((x) => ("t" in x ? x.out : x));

  notes.push(
    `p50 / p99 are per counted unit: one token response; for the hot code flow, from sending GET authorize to parsing the token response (both requests). Per-request percentiles by step are in the JSON (requestLatencyMs).`,
    `refresh rotation: ${settings.connections + 4} independent chains per phase, made right before it, each strictly sequential; only 200s with a new refresh token count.`,
    `hot code flow: scope "${SCOPE}", PKCE S256, client_secret_basic; authorize must answer 302/303 with a code, token 200 with access and refresh tokens.`,
    "oidc-provider keeps its in-memory adapter: it writes nothing to disk. Latchkey stores every code and token in its database.",
    "that adapter is an LRU of 1000 entries (development-only): under load it evicts sessions, grants and idle refresh tokens, so the harness signs in to oidc-provider again and makes the refresh chains right before each phase.",
    "oidc-provider drops offline_access unless prompt=consent (which forces an interaction every time), so it is set to issue a refresh token for every code, as Latchkey does for offline_access.",
    `the load generator runs on the same ${os.cpus().length} cores as the server: absolute figures, the node:http floor above all, are bounded by it; compare ratios.`,
    `all servers stay up for the whole run; per scenario each gets its warm-up, then the measured rounds alternate between them (${settings.rounds} × ${settings.durationS} s each, order rotated every round), so that a drift of this machine's speed during the run weighs on all of them alike. Figures pool the rounds; each round is in the JSON. Shorter rounds favour oidc-provider on refresh and the code flow (its rates fall as a phase goes on; bench/README.md).`,
    "CPU µs: CPU time per counted unit during the measured rounds, from /proc: all threads of the serving process (its main thread in brackets; the rest are workers, libuv's pool and GC helpers), PostgreSQL's processes, the load generator (this process), and how busy both cores were.",
  );

  if (interrupted) return 130;
  const { ratios, checks } = ratiosAndChecks(targets, floor);
  const finished = new Date();
  const results: Results = {
    startedAt: started.toISOString(),
    finishedAt: finished.toISOString(),
    wallClockS: Math.round((finished.getTime() - started.getTime()) / 1000),
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model.trim() ?? "?",
      node: process.versions.node,
      platform: `${os.platform()} ${os.release()}`,
      totalMemGB: Math.round(os.totalmem() / 1e9),
    },
    settings,
    passwordHash: {
      algorithm: "argon2id",
      memoryCostKiB: PASSWORD_HASH_PARAMS.memoryCost,
      timeCost: PASSWORD_HASH_PARAMS.timeCost,
      parallelism: PASSWORD_HASH_PARAMS.parallelism,
    },
    floor,
    targets,
    ratios,
    checks,
    notes,
  };

  const dir = path.join(ROOT, "bench/results");
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${started.toISOString().replace(/[:.]/g, "-")}.json`);
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  console.log(render(results));
  console.log(`\nResults: ${path.relative(ROOT, file)} (${results.wallClockS} s)`);

  const broken =
    !!floor.failed ||
    !!floor.nodeHttp?.errors ||
    targets.some((t) => t.failed || Object.values(t.scenarios).some((o) => o && ("notRun" in o ? !o.notRun.startsWith("n/a") : o.errors > 0)));
  return broken ? 1 : 0;
}

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = true;
    log(`${signal}: stopping the servers and dropping the databases…`);
    void cleanupAll().finally(() => process.exit(130));
  });
}

main()
  .then(
    (code) => cleanupAll().then(() => code),
    (err: unknown) => {
      console.error(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      return cleanupAll().then(() => 1);
    },
  )
  .then((code) => process.exit(code));
