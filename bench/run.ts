// `npm run bench`: Latchkey (production build, SQLite and PostgreSQL) side by side with
// node-oidc-provider, and the floors (jose ES256 signing, bare node:http), in one run (issue 4).
//
//   npm run bench                     3 s warm-up + 10 s measured per scenario (about 5 minutes)
//   npm run bench -- --quick          1 s + 3 s, for development
//   npm run bench -- --only latchkey-sqlite,oidc-provider      (also: latchkey-postgres, floor)
//   npm run bench -- --build          run `next build` first even if .next/BUILD_ID exists
//   BENCH_WARMUP=5 BENCH_DURATION=30  seconds;  BENCH_PG_URL (else PG_TEST_URL, else
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
import { startLatchkey } from "./lib/latchkey";
import {
  clientCredentials,
  hotCodeFlow,
  passwordSignIn,
  Recorder,
  refreshRotation,
  runLoad,
  trivialGet,
  type Phase,
  type ScenarioResult,
} from "./lib/load";
import { startOidcProvider } from "./lib/oidc-provider";
import { cleanupAll, freePort, listenerPid, memoryOf, ROOT, startChild, stopChild, waitForHttp } from "./lib/proc";
import { ratiosAndChecks, render, type FloorResult, type Results, type ScenarioKey, type TargetResult } from "./lib/report";
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
const settings = {
  connections: Number(process.env.BENCH_CONNECTIONS || 16),
  warmupS: seconds("BENCH_WARMUP", args.quick ? 1 : 3),
  durationS: seconds("BENCH_DURATION", args.quick ? 3 : 10),
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
let trace: ((what: string) => void) | undefined;

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
  const buildId = path.join(ROOT, ".next/BUILD_ID");
  if (existsSync(buildId) && !args.build) {
    const sources = Math.max(...["app", "components", "lib"].map((d) => (existsSync(path.join(ROOT, d)) ? newestMtime(path.join(ROOT, d)) : 0)));
    if (sources > statSync(buildId).mtimeMs) {
      const msg = "the production build (.next) is older than app/, components/ or lib/: run with --build to measure the current code";
      log(`WARNING: ${msg}`);
      notes.push(`WARNING: ${msg}`);
    }
    return;
  }
  log("next build (the production build `npm start` serves)…");
  const t0 = Date.now();
  const r = spawnSync(path.join(ROOT, "node_modules/.bin/next"), ["build"], {
    cwd: ROOT,
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (r.status !== 0) throw new Error(`next build failed (exit ${r.status})`);
  notes.push(`next build took ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}

// ---- running scenarios ---------------------------------------------------------------------

/** The requests of one phase; state they need (chains, a session) is made right before it. */
type Build = (rec: Recorder, phase: Phase) => autocannon.Request[] | Promise<autocannon.Request[]>;

/** Warm-up (discarded, errors kept) then the measured run, on the same server. */
async function twoPhase(
  origin: string,
  key: ScenarioKey,
  title: string,
  unit: string,
  build: Build,
  out: TargetResult | null,
  afterWarmup?: () => void,
): Promise<ScenarioResult> {
  if (settings.warmupS > 0) {
    const rec = new Recorder();
    const requests = await build(rec, "warmup");
    const w = await runLoad({ origin, connections: settings.connections, durationS: settings.warmupS, requests }, rec, title, unit);
    if (out) out.warmups[key] = { completed: w.completed, errors: w.errors, errorSamples: w.errorSamples };
  }
  afterWarmup?.();
  trace?.(`${title} after warm-up`);
  const rec = new Recorder();
  const requests = await build(rec, "measure");
  const r = await runLoad({ origin, connections: settings.connections, durationS: settings.durationS, requests }, rec, title, unit);
  log(`  ${title}: ${r.perSecond} ${unit}, p50 ${r.latencyMs.p50} ms, p99 ${r.latencyMs.p99} ms, errors ${r.errors}`);
  trace?.(`${title} after load`);
  return r;
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

async function measureTarget(start: () => Promise<Target>, label: string, key: TargetResult["key"]): Promise<TargetResult> {
  const out: TargetResult = { key, label, notes: [], memory: {}, scenarios: {}, warmups: {} };
  if (interrupted) return { ...out, failed: "interrupted" };
  log(`${label}: starting…`);
  let t: Target;
  try {
    t = await start();
  } catch (err) {
    out.failed = message(err);
    log(`${label}: could not start: ${out.failed}`);
    return out;
  }
  out.notes.push(...t.notes);
  trace = process.env.BENCH_MEMTRACE ? (what) => log(`    memory ${what}: ${JSON.stringify(t.memory())}`) : undefined;
  const recordWarm = () => {
    out.memory.afterWarmup ??= t.memory();
  };
  try {
    // client_credentials
    try {
      out.notes.push(`client_credentials ${await probeClientCredentials(t.origin, t.token())}`);
      const ep = t.token();
      out.scenarios.clientCredentials = await twoPhase(t.origin, "clientCredentials", "client_credentials", "req/s", (rec) => clientCredentials(ep, rec), out, recordWarm);
    } catch (err) {
      out.scenarios.clientCredentials = { scenario: "client_credentials", notRun: message(err) };
    }

    // a signed-in session with consent: refresh chains and the hot code flow
    let signedIn = true;
    try {
      await t.authorize();
    } catch (err) {
      signedIn = false;
      const why = `no signed-in, consented session: ${message(err)}`;
      out.scenarios.refreshRotation = { scenario: "refresh rotation", notRun: why };
      out.scenarios.codeFlow = { scenario: "hot code flow", notRun: why };
    }
    if (signedIn) {
      // State is made right before each phase (t.authorize() is fresh for oidc-provider, whose
      // default adapter is an LRU that evicts what the load does not touch), and the measured run
      // gets fresh chains: a request cut off at the end of the warm-up may have rotated its chain.
      // A few spare chains replace chains that fail.
      const n = settings.connections + 4;
      try {
        out.scenarios.refreshRotation = await twoPhase(
          t.origin, "refreshRotation", "refresh rotation", "tokens/s",
          async (rec) => {
            const ep = await t.authorize();
            return refreshRotation(ep, await refreshChains(t.origin, ep, n), rec);
          },
          out, recordWarm,
        );
      } catch (err) {
        out.scenarios.refreshRotation = { scenario: "refresh rotation", notRun: message(err) };
      }
      try {
        out.scenarios.codeFlow = await twoPhase(t.origin, "codeFlow", "hot code flow", "flows/s", async (rec) => hotCodeFlow(await t.authorize(), rec), out, recordWarm);
      } catch (err) {
        out.scenarios.codeFlow = { scenario: "hot code flow", notRun: message(err) };
      }
    }

    // password sign-in
    try {
      const ep = await t.signIn();
      out.scenarios.passwordSignIn = ep
        ? await twoPhase(t.origin, "passwordSignIn", "password sign-in", "sign-ins/s", (rec) => passwordSignIn(ep, rec), out, recordWarm)
        : { scenario: "password sign-in", notRun: "n/a: oidc-provider has no user store (login is the application's)" };
    } catch (err) {
      out.scenarios.passwordSignIn = { scenario: "password sign-in", notRun: message(err) };
    }
    out.memory.afterLoad = t.memory();
    const c = t.complaints();
    if (c.count > 0) out.notes.push(`the server printed ${c.count} error/warning lines, e.g. ${c.first.map((l) => `"${l}"`).join("; ")}`);
  } finally {
    await t.stop().catch((err: unknown) => log(`${label}: stop failed: ${message(err)}`));
  }
  return out;
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
      const r = await twoPhase(`http://127.0.0.1:${port}`, "clientCredentials", "node:http 200 {}", "req/s", (rec) => trivialGet(rec), null);
      floor.nodeHttp = { ...r, memory: memoryOf(listenerPid(child.pid, port) ?? child.pid, child.pid) };
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
  const targets: TargetResult[] = [];
  if (parts.has("latchkey-sqlite")) {
    targets.push(await measureTarget(() => startLatchkey({ db: "sqlite", pgServerUrl, redirectUri: REDIRECT_URI, scope: SCOPE }), "latchkey-sqlite", "latchkeySqlite"));
  }
  if (parts.has("latchkey-postgres")) {
    targets.push(await measureTarget(() => startLatchkey({ db: "postgres", pgServerUrl, redirectUri: REDIRECT_URI, scope: SCOPE }), "latchkey-postgres", "latchkeyPostgres"));
  }
  if (parts.has("oidc-provider")) {
    targets.push(await measureTarget(() => startOidcProvider(REDIRECT_URI, SCOPE), "oidc-provider", "oidcProvider"));
  }

  notes.push(
    `p50 / p99 are per counted unit: one token response; for the hot code flow, from sending GET authorize to parsing the token response (both requests). Per-request percentiles by step are in the JSON (requestLatencyMs).`,
    `refresh rotation: ${settings.connections + 4} independent chains per phase, made right before it, each strictly sequential; only 200s with a new refresh token count.`,
    `hot code flow: scope "${SCOPE}", PKCE S256, client_secret_basic; authorize must answer 302/303 with a code, token 200 with access and refresh tokens.`,
    "oidc-provider keeps its in-memory adapter: it writes nothing to disk. Latchkey stores every code and token in its database.",
    "that adapter is an LRU of 1000 entries (development-only): under load it evicts sessions, grants and idle refresh tokens, so the harness signs in to oidc-provider again and makes the refresh chains right before each phase.",
    "oidc-provider drops offline_access unless prompt=consent (which forces an interaction every time), so it is set to issue a refresh token for every code, as Latchkey does for offline_access.",
    `the load generator runs on the same ${os.cpus().length} cores as the server: absolute figures, the node:http floor above all, are bounded by it; compare ratios.`,
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
