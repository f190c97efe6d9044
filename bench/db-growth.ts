// `npm run bench:growth`: how much the SQLite database grows per 1,000 flows, and what the purge
// (lib/db/purge.ts) leaves of it (issue #15). Starts Latchkey as `npm start` serves it (the
// production build, a fresh SQLite file), then runs N flows, each as a new visitor's sign-in
// to an app looks to the database:
//   1. GET /oauth/authorize without a session (parks an authorization request: 302 to sign-in),
//   2. the signed-in, consented code flow: GET /oauth/authorize -> code -> POST /oauth/token
//      (scope "openid offline_access": a code, an access-token row, a refresh token, audit events).
// Sizes are SQLite's live pages (page_count - freelist_count, after a WAL checkpoint), per table
// with its indexes (dbstat). Then it runs the purge as the schedule would a day later
// (now + 25 h, the default retention settings) and measures again.
//
//   npm run bench:growth                    1,000 flows
//   npm run bench:growth -- --flows 5000 --rate 10      flows; the flows/s the per-day figures assume
import { parseArgs } from "node:util";
import Database from "better-sqlite3";
import { fetchRaw, pkcePair, randomState } from "./lib/http";
import { authorizeQuery } from "./lib/load";
import { startLatchkey } from "./lib/latchkey";
import { cleanupAll } from "./lib/proc";
import { fullFlow } from "./lib/target";
import { createDb } from "../lib/db/client";
import { purgeStore } from "../lib/db/purge";

const { values: args } = parseArgs({
  options: { flows: { type: "string", default: "1000" }, rate: { type: "string", default: "1" } },
  strict: true,
});
const FLOWS = Number(args.flows);
const RATE = Number(args.rate);
const DAY_S = 86_400;

// How long the purge keeps each table's rows (defaults; lib/db/purge.ts), in days, for the
// steady state. Parked requests: 10 min TTL + up to one purge interval (5 min).
const RETENTION_DAYS: Record<string, number> = {
  AuthorizationRequest: 15 / 1440,
  AuthorizationCode: 1 + 1 / 1440,
  AccessToken: 1 + 10 / 1440,
  // These flows never use their refresh token: the family goes a day after its idle expiry
  // (14 days). One that is refreshed stays up to its absolute lifetime (90 days).
  RefreshToken: 15,
  AuditEvent: 365,
};

interface Size {
  live: number;
  byTable: Map<string, number>;
  rows: Map<string, number>;
}

function measure(file: string): Size {
  const db = new Database(file);
  try {
    db.pragma("wal_checkpoint(TRUNCATE)");
    const pageSize = db.pragma("page_size", { simple: true }) as number;
    const pages = db.pragma("page_count", { simple: true }) as number;
    const free = db.pragma("freelist_count", { simple: true }) as number;
    const owners = new Map<string, string>();
    for (const r of db.prepare("SELECT name, tbl_name FROM sqlite_schema WHERE type IN ('table', 'index')").all() as { name: string; tbl_name: string }[]) {
      owners.set(r.name, r.tbl_name);
    }
    const byTable = new Map<string, number>();
    for (const r of db.prepare("SELECT name, SUM(pgsize) AS bytes FROM dbstat GROUP BY name").all() as { name: string; bytes: number }[]) {
      const table = owners.get(r.name) ?? r.name;
      byTable.set(table, (byTable.get(table) ?? 0) + r.bytes);
    }
    const rows = new Map<string, number>();
    for (const t of ["AuthorizationRequest", "AuthorizationCode", "AccessToken", "RefreshToken", "AuditEvent", "PortalSession", "LoginThrottle"]) {
      rows.set(t, (db.prepare(`SELECT COUNT(*) AS n FROM "${t}"`).get() as { n: number }).n);
    }
    return { live: (pages - free) * pageSize, byTable, rows };
  } finally {
    db.close();
  }
}

const kb = (b: number) => `${(b / 1024).toFixed(0)} KiB`;
const mb = (b: number) => (b >= 1024 ** 3 ? `${(b / 1024 ** 3).toFixed(1)} GiB` : `${(b / 1024 / 1024).toFixed(1)} MiB`);

async function main() {
  process.env.PURGE_INTERVAL_SECONDS = "0"; // measured without the schedule; the purge runs below
  process.env.ANONYMOUS_WRITES_PER_MINUTE = "1000000"; // all flows come from 127.0.0.1
  const target = await startLatchkey({
    db: "sqlite",
    pgServerUrl: "",
    redirectUri: "http://127.0.0.1:9/cb",
    scope: "openid offline_access",
  });
  try {
    const ep = await target.authorize();
    const file = target.databaseUrl!.slice("file:".length);
    const before = measure(file);

    let done = 0;
    const worker = async () => {
      while (done < FLOWS) {
        done++;
        const { challenge } = pkcePair();
        const anon = await fetchRaw(`${target.origin}${ep.authorizePath}?${authorizeQuery(ep, randomState(), challenge)}`);
        if (anon.status !== 302 || !anon.headers.get("location")?.startsWith("/signin")) throw new Error(`anonymous authorize answered ${anon.status}`);
        await fullFlow(target.origin, ep);
      }
    };
    const t0 = Date.now();
    await Promise.all(Array.from({ length: 4 }, worker));
    const seconds = (Date.now() - t0) / 1000;
    const after = measure(file);

    const db = createDb(target.databaseUrl!);
    const purged = await purgeStore(db).purgeExpired({ now: new Date(Date.now() + 25 * 3600_000), auditRetentionDays: 365, throttleWindowSeconds: 900 });
    await db.$disconnect();
    const purgedSize = measure(file);

    const grown = after.live - before.live;
    const perThousand = (grown * 1000) / FLOWS;
    console.log(`Latchkey database growth: ${FLOWS} flows in ${seconds.toFixed(1)} s (SQLite, live pages after a checkpoint)\n`);
    console.log(`live size before ${mb(before.live)}, after ${mb(after.live)}: +${mb(grown)}, ${kb(perThousand)} per 1,000 flows`);
    console.log(`after the purge a day later: ${mb(purgedSize.live)} (removed ${Object.entries(purged).filter(([, n]) => n).map(([t, n]) => `${t} ${n}`).join(", ")})\n`);
    console.log(`table (with indexes)        rows +  per 1,000 flows   kept by the purge   held at ${RATE} flow/s`);
    let steady = 0;
    for (const [table, bytes] of [...after.byTable].sort((a, b) => b[1] - a[1])) {
      const delta = bytes - (before.byTable.get(table) ?? 0);
      if (delta <= 0) continue;
      const per = (delta * 1000) / FLOWS;
      const keep = RETENTION_DAYS[table];
      const kept = keep === undefined ? 0 : (per / 1000) * RATE * DAY_S * keep;
      steady += kept;
      const rows = (after.rows.get(table) ?? 0) - (before.rows.get(table) ?? 0);
      console.log(
        `${table.padEnd(26)} ${String(rows).padStart(6)} ${kb(per).padStart(16)}   ${(keep === undefined ? "-" : keep < 1 ? `${Math.round(keep * 1440)} min` : `${Math.round(keep)} days`).padEnd(17)}   ${mb(kept)}`,
      );
    }
    console.log(`\nAt ${RATE} flow/s (${(RATE * DAY_S).toLocaleString("en")} flows a day):`);
    console.log(`  without the purge: +${mb((perThousand / 1000) * RATE * DAY_S)} a day, for ever`);
    console.log(`  with the purge: bounded at about ${mb(steady)} (audit events for 365 days, unused refresh tokens for 15, the rest for at most a day)`);
  } finally {
    await target.stop();
    await cleanupAll();
  }
}

main().catch(async (err) => {
  console.error(err instanceof Error ? err.message : err);
  await cleanupAll();
  process.exit(1);
});
