// Fault script (issue 18 §7; not in CI): an online backup under token load, restored.
//
//   npm run build && npx tsx scripts/faults/backup-under-load.ts [--port 3206] [--seconds 6]
//
// 1. Starts Latchkey as `npm start` serves it in production, on SQLite in a fresh DATA_DIR (its
//    secret generated there, as on a first local run), with a confidential client, a user and
//    refresh chains (bench/lib/latchkey.ts).
// 2. Drives token load: client_credentials and refresh-token chains (each strictly sequential).
// 3. Mid-load runs `npm run --silent cli -- db backup FILE`, as an operator would.
// 4. Stops the server, restores the backup into a fresh DATA_DIR with the same secret file
//    (README, "Backups"), starts the server again on the same ISSUER, and checks:
//    - every access token whose response arrived before the backup started is still active
//      (RFC 7662 introspection by its client);
//    - every refresh chain has exactly one current token in the restored database (introspection,
//      which revokes nothing), no older than the newest one issued before the backup started and
//      no newer than the backup's end, and it refreshes;
//    - tokens issued after the backup ended are unknown (what a restore loses, as it must);
//    - integrity_check of the restored file;
//    - and the same backup restored with another secret: the server refuses to start.
// Prints the figures; exit 1 if a check fails. Rules themselves are tested in lib/db/backup.test.ts.
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import Database from "better-sqlite3";
import { fetchRaw, form } from "../../bench/lib/http";
import { cli, startLatchkey } from "../../bench/lib/latchkey";
import { registerTempDir, ROOT, runMain, sleep, startChild, stopChild, waitForHttp } from "../../bench/lib/proc";
import { refreshChains } from "../../bench/lib/target";
import { percentiles } from "../../bench/lib/load";

const { values: args } = parseArgs({
  options: { port: { type: "string", default: "3206" }, seconds: { type: "string", default: "6" } },
  strict: true,
});
const PORT = Number(args.port);
const LOAD_SECONDS = Number(args.seconds);
const CC_WORKERS = 4;
const CHAINS = 8;

interface Issued {
  accessToken: string;
  refreshToken?: string;
  /** performance.now() when the response arrived (after the server's commit). */
  at: number;
  chain?: number;
}

const now = () => performance.now();

async function main() {
  try {
    readFileSync(path.join(ROOT, ".next", "BUILD_ID"));
    readFileSync(path.join(ROOT, "dist", "start.js"));
  } catch {
    throw new Error("No production build: run `npm run build` first.");
  }
  console.log(`backup under load: Latchkey (production build, SQLite) on port ${PORT}…`);
  const target = await startLatchkey({ db: "sqlite", pgServerUrl: "", redirectUri: "http://127.0.0.1:9/cb", scope: "openid offline_access", port: PORT });
  const dataDirA = path.dirname(target.databaseUrl!.slice("file:".length));
  const ep = await target.authorize();
  const tokenUrl = `${target.origin}${ep.tokenPath}`;
  const post = (url: string, body: string) =>
    fetchRaw(url, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", authorization: ep.basic }, body });

  const chains = await refreshChains(target.origin, ep, CHAINS);
  const issued: Issued[] = [];
  const latencies: Array<{ at: number; ms: number }> = [];
  let errors = 0;
  let running = true;

  const ccWorker = async () => {
    while (running) {
      const t0 = now();
      const r = await post(tokenUrl, "grant_type=client_credentials");
      latencies.push({ at: t0, ms: now() - t0 });
      if (r.status !== 200) {
        errors++;
        continue;
      }
      issued.push({ accessToken: (JSON.parse(r.text) as { access_token: string }).access_token, at: now() });
    }
  };
  const chainWorker = async (chain: number) => {
    let token = chains[chain]!;
    while (running) {
      const t0 = now();
      const r = await post(tokenUrl, form({ grant_type: "refresh_token", refresh_token: token }));
      latencies.push({ at: t0, ms: now() - t0 });
      if (r.status !== 200) {
        errors++;
        console.error(`chain ${chain}: HTTP ${r.status} ${r.text.slice(0, 200)}`);
        return;
      }
      const body = JSON.parse(r.text) as { access_token: string; refresh_token: string };
      token = body.refresh_token;
      issued.push({ accessToken: body.access_token, refreshToken: token, at: now(), chain });
    }
  };

  const loadStarted = now();
  const load = Promise.all([...Array.from({ length: CC_WORKERS }, ccWorker), ...chains.map((_, i) => chainWorker(i))]);
  await sleep((LOAD_SECONDS * 1000) / 2);

  // The operator's backup, mid-load.
  const backupFile = path.join(mkdtempSync(path.join(os.tmpdir(), "latchkey-fault-backup-")), "latchkey-backup.db");
  registerTempDir(path.dirname(backupFile));
  const backupStarted = now();
  const backup = await cli<Record<string, unknown>>({ ...process.env, NODE_ENV: "production", ISSUER: target.origin, DATA_DIR: dataDirA, DATABASE_URL: "" }, ["db", "backup", backupFile]);
  const backupEnded = now();
  // The secret file goes with the backup (README, "Backups"): the signing keys are encrypted with it.
  copyFileSync(path.join(dataDirA, "secret"), path.join(path.dirname(backupFile), "secret"));
  await sleep((LOAD_SECONDS * 1000) / 2);
  running = false;
  await load;
  const loadEnded = now();

  const during = latencies.filter((l) => l.at >= backupStarted && l.at <= backupEnded);
  const outside = latencies.filter((l) => l.at < backupStarted || l.at > backupEnded);
  const before = issued.filter((t) => t.at < backupStarted);
  const after = issued.filter((t) => t.at > backupEnded);
  const between = issued.filter((t) => t.at >= backupStarted && t.at <= backupEnded);
  const byChain = chains.map((_, i) => issued.filter((t) => t.chain === i));
  // The backup step itself: the last `seconds` before the CLI exited (its start-up comes first).
  const stepStarted = backupEnded - Number(backup.seconds) * 1000 - 50;
  const inStep = latencies.filter((l) => l.at + l.ms >= stepStarted && l.at <= backupEnded);
  console.log(`load: ${issued.length} tokens in ${((loadEnded - loadStarted) / 1000).toFixed(1)} s (${CC_WORKERS} client_credentials workers, ${CHAINS} refresh chains), ${errors} errors`);
  console.log(`backup (CLI, wall time with npm + tsx start-up ${((backupEnded - backupStarted) / 1000).toFixed(2)} s): ${JSON.stringify(backup)}`);
  console.log(`token latency ms while the CLI ran (npm + tsx start-up + backup): ${fmt(percentiles(during.map((l) => l.ms)))}; otherwise: ${fmt(percentiles(outside.map((l) => l.ms)))}`);
  console.log(`token latency ms overlapping the backup step itself (~last ${backup.seconds} s of the CLI): ${fmt(percentiles(inStep.map((l) => l.ms)))}`);
  console.log(`tokens whose response arrived before the CLI started: ${before.length}; after it exited: ${after.length}; in between: ${between.length}`);

  // Stop, restore into a fresh DATA_DIR with the same secret, start on the same ISSUER.
  await target.stop();
  const dataDirB = mkdtempSync(path.join(os.tmpdir(), "latchkey-fault-restored-"));
  registerTempDir(dataDirB);
  // lib/config: without LATCHKEY_SECRET the secret is DATA_DIR/secret; it encrypts the signing keys.
  const secretFile = path.join(dataDirB, "secret");
  copyFileSync(path.join(path.dirname(backupFile), "secret"), secretFile);
  copyFileSync(backupFile, path.join(dataDirB, "latchkey.db"));
  const integrity = new Database(path.join(dataDirB, "latchkey.db"), { readonly: true });
  const integrityCheck = integrity.pragma("integrity_check", { simple: true });
  integrity.close();
  console.log(`restored into a fresh DATA_DIR; integrity_check: ${String(integrityCheck)}`);

  const restoredEnv: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    PORT: String(PORT),
    ISSUER: target.origin,
    DATA_DIR: dataDirB,
    DATABASE_URL: "",
    PATH: `${path.join(ROOT, "node_modules/.bin")}${path.delimiter}${process.env.PATH ?? ""}`,
  };
  const restored = startChild("latchkey-restored", "/bin/sh", ["-c", startScript()], { env: restoredEnv });
  let failed = integrityCheck !== "ok";
  try {
    await waitForHttp(`${target.origin}/api/health`, restored, 120_000);
    const introspectUrl = `${target.origin}/oauth/introspect`;
    const active = async (t: Issued) => (JSON.parse((await post(introspectUrl, form({ token: t.accessToken }))).text) as { active: boolean }).active;
    const beforeActive = await countWhere(before, active);
    const betweenActive = await countWhere(between, active);
    const afterActive = await countWhere(after, active);
    // Per chain, the token that is current in the backup: introspection says which without
    // revoking anything (presenting a rotated one would revoke the family, RFC 9700 §4.14.2).
    // It must be no older than the newest one issued before the backup started, and no newer
    // than the newest one issued before it ended; and it must still refresh.
    let current = 0;
    let inWindow = 0;
    let refreshed = 0;
    for (const history of byChain) {
      const activeFlags = await Promise.all(history.map(async (t) => (JSON.parse((await post(introspectUrl, form({ token: t.refreshToken! }))).text) as { active: boolean }).active));
      const live = activeFlags.flatMap((a, i) => (a ? [i] : []));
      if (live.length !== 1) continue;
      current++;
      const i = live[0]!;
      const newestBefore = history.findLastIndex((t) => t.at < backupStarted);
      const newestBeforeEnd = history.findLastIndex((t) => t.at < backupEnded);
      if (i >= newestBefore && i <= newestBeforeEnd) inWindow++;
      const r = await post(tokenUrl, form({ grant_type: "refresh_token", refresh_token: history[i]!.refreshToken! }));
      if (r.status === 200) refreshed++;
    }

    console.log(`\nafter the restore (same ISSUER, same secret file):`);
    console.log(`  access tokens issued before the backup started, active at introspection: ${beforeActive} of ${before.length}`);
    console.log(`  access tokens issued while the CLI ran (in the backup or not, by timing):  ${betweenActive} of ${between.length}`);
    console.log(`  access tokens issued after the backup ended (lost by a restore, as expected): ${afterActive} of ${after.length}`);
    console.log(`  refresh chains with exactly one current token in the backup:               ${current} of ${CHAINS}`);
    console.log(`    that token issued no earlier than the newest before the backup started and no later than it ended: ${inWindow} of ${CHAINS}`);
    console.log(`    and it refreshes on the restored server:                               ${refreshed} of ${CHAINS}`);
    failed ||= beforeActive !== before.length || afterActive !== 0 || before.length === 0 || current !== CHAINS || inWindow !== CHAINS || refreshed !== CHAINS;
  } finally {
    await stopChild(restored);
  }

  // The same backup restored with another secret: the signing keys cannot be decrypted, and the
  // server must refuse to start, saying so (README, "Backups": back the secret up too).
  const dataDirC = mkdtempSync(path.join(os.tmpdir(), "latchkey-fault-other-secret-"));
  registerTempDir(dataDirC);
  copyFileSync(backupFile, path.join(dataDirC, "latchkey.db"));
  writeFileSync(path.join(dataDirC, "secret"), `${randomBytes(48).toString("base64url")}\n`, { mode: 0o600 });
  const other = startChild("latchkey-other-secret", "/bin/sh", ["-c", startScript()], { env: { ...restoredEnv, DATA_DIR: dataDirC } });
  const outcome = await waitForHttp(`${target.origin}/api/health`, other, 120_000).then(
    () => "it started",
    (err: unknown) => (err as Error).message,
  );
  await stopChild(other);
  const refusedToStart = /Signing key \S+ cannot be decrypted: was LATCHKEY_SECRET changed\?/.test(outcome);
  console.log(`the backup restored with another secret: ${refusedToStart ? "the server refuses to start (Signing key … cannot be decrypted: was LATCHKEY_SECRET changed?)" : `UNEXPECTED: ${outcome.slice(0, 400)}`}`);
  failed ||= !refusedToStart;
  console.log(failed ? "\nFAILED" : "\nOK: every token issued before the backup works after the restore");
  return failed ? 1 : 0;
}

function startScript(): string {
  return (JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: { start: string } }).scripts.start;
}

async function countWhere<T>(items: T[], check: (t: T) => Promise<boolean>, concurrency = 8): Promise<number> {
  let n = 0;
  let i = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (i < items.length) if (await check(items[i++]!)) n++;
    }),
  );
  return n;
}

const fmt = (p: { count: number; p50: number; p99: number; max: number }) => `n=${p.count} p50 ${p.p50} p99 ${p.p99} max ${p.max}`;

runMain(main);
