// `npm run bench:admin`: the admin console's list queries at scale. Seeds a throw-away database
// (SQLite by default; PostgreSQL with --pg) with 100,000 users and 1,000,000 audit events (plus
// 1,000 clients, 50,000 consents and 200,000 access tokens) by bulk SQL, then times each list
// query the console runs — the real functions of lib/db/admin over Prisma — on the first page,
// on a deep page reached by cursor, and with each filter, and prints the query plan of each.
//
//   npm run bench:admin                        # SQLite
//   npm run bench:admin -- --pg                # PostgreSQL (BENCH_PG_URL / PG_TEST_URL / local)
//   npm run bench:admin -- --users 20000 --events 200000     # smaller, for a quick look
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import Database from "better-sqlite3";
import pg from "pg";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as SqliteClient } from "../lib/db/generated/sqlite/client.ts";
import { PrismaClient as PostgresClient } from "../lib/db/generated/postgres/client.ts";
import type { Db } from "../lib/db/client";
import { migrateDeploy } from "../scripts/lib/prisma";
import { listUsers } from "../lib/db/admin/users";
import { listClients } from "../lib/db/admin/clients";
import { listGrants } from "../lib/db/admin/grants";
import { listAudit } from "../lib/db/admin/audit-log";
import { decodeCursor, type Cursor } from "../lib/admin/cursor";
import { PAGE_SIZE } from "../lib/admin/filters";

const { values: args } = parseArgs({
  options: {
    pg: { type: "boolean", default: false },
    users: { type: "string", default: "100000" },
    events: { type: "string", default: "1000000" },
    runs: { type: "string", default: "7" },
  },
});
const USERS = Number(args.users);
const EVENTS = Number(args.events);
const CLIENTS = 1000;
const CONSENTS = Math.min(50_000, USERS);
const TOKENS = 200_000;
const RUNS = Number(args.runs);
const BASE = Date.UTC(2026, 0, 1);
const TYPES = ["signin.succeeded", "signin.failed", "consent.granted", "token.revoked", "user.created", "client.created", "user.disabled", "grants.revoked", "key.rotated", "session.ended"];

interface Target {
  provider: "sqlite" | "postgres";
  db: Db;
  /** SQL statements Prisma ran since the last take(). */
  take(): { sql: string; params: unknown[] }[];
  explain(sql: string, params: unknown[]): Promise<string>;
  exec(sql: string): Promise<void>;
  one<T>(sql: string): Promise<T>;
  close(): Promise<void>;
}

function logged(client: { $on(e: "query", cb: (e: { query: string; params: string }) => void): void }) {
  let seen: { sql: string; params: unknown[] }[] = [];
  client.$on("query", (e) => seen.push({ sql: e.query, params: JSON.parse(e.params) as unknown[] }));
  return () => {
    const s = seen;
    seen = [];
    return s;
  };
}

async function sqliteTarget(): Promise<Target> {
  const dir = mkdtempSync(path.join(tmpdir(), "latchkey-bench-admin-"));
  const file = path.join(dir, "bench.db");
  migrateDeploy({ ...process.env, DATABASE_URL: `file:${file}` });
  const raw = new Database(file);
  raw.pragma("journal_mode = WAL");
  raw.pragma("synchronous = OFF");
  const client = new SqliteClient({ adapter: new PrismaBetterSQLite3({ url: `file:${file}` }), log: [{ emit: "event", level: "query" }] });
  const take = logged(client);
  return {
    provider: "sqlite",
    db: client,
    take,
    async explain(sql, params) {
      const rows = raw.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...(params as (string | number | null)[])) as { detail: string }[];
      return rows.map((r) => r.detail).join("; ");
    },
    async exec(sql) {
      raw.exec(sql);
    },
    async one<T>(sql: string) {
      return raw.prepare(sql).get() as T;
    },
    async close() {
      await client.$disconnect();
      raw.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function pgTarget(): Promise<Target> {
  const server = process.env.BENCH_PG_URL ?? process.env.PG_TEST_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
  const name = `latchkey_bench_admin_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  migrateDeploy({ ...process.env, DATABASE_URL: url.toString() });
  const raw = new pg.Client({ connectionString: url.toString() });
  await raw.connect();
  const client = new PostgresClient({ adapter: new PrismaPg({ connectionString: url.toString() }), log: [{ emit: "event", level: "query" }] });
  const take = logged(client);
  return {
    provider: "postgres",
    db: client as unknown as Db,
    take,
    async explain(sql, params) {
      const r = await raw.query<{ "QUERY PLAN": string }>(`EXPLAIN ${sql}`, params);
      return r.rows.map((x) => x["QUERY PLAN"].trim()).join("; ");
    },
    async exec(sql) {
      await raw.query(sql);
    },
    async one<T>(sql: string) {
      return (await raw.query(sql)).rows[0] as T;
    },
    async close() {
      await client.$disconnect();
      await raw.end();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

/** Bulk seed in SQL (recursive CTE on SQLite, generate_series on PostgreSQL): no row-by-row inserts. */
async function seed(t: Target) {
  const sqlite = t.provider === "sqlite";
  const series = (n: number, body: string) =>
    sqlite
      ? `WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < ${n}) ${body.replace("FROM_SERIES", "FROM s")}`
      : body.replace("FROM_SERIES", `FROM generate_series(1, ${n}) AS s(n)`);
  const pad = (expr: string, width: number) => (sqlite ? `printf('%0${width}d', ${expr})` : `lpad((${expr})::text, ${width}, '0')`);
  const at = (secondsExpr: string) =>
    sqlite
      ? `strftime('%Y-%m-%dT%H:%M:%f+00:00', ${BASE / 1000}, 'unixepoch', (${secondsExpr}) || ' seconds')`
      : `to_timestamp(${BASE / 1000} + (${secondsExpr}))`;
  const q = (name: string) => `"${name}"`;
  const bool = (v: boolean) => (sqlite ? (v ? "1" : "0") : v ? "true" : "false");
  const typeExpr = `CASE (n % ${TYPES.length}) ${TYPES.map((ty, i) => `WHEN ${i} THEN '${ty}'`).join(" ")} END`;
  const started = Date.now();
  // Users: one every 10 s, ids u000001..; every 100th has the name "Grace <n>".
  await t.exec(series(USERS, `INSERT INTO ${q("User")} (id, email, name, ${q("passwordHash")}, role, disabled, ${q("emailVerified")}, ${q("mustResetPassword")}, ${q("createdAt")}, ${q("updatedAt")})
    SELECT 'u' || ${pad("n", 6)}, 'user' || n || '@example.com', CASE WHEN n % 100 = 0 THEN 'Grace ' || n ELSE 'Name ' || n END, 'x',
      CASE WHEN n % 50 = 0 THEN 'developer' ELSE 'user' END, ${bool(false)}, ${bool(true)}, ${bool(false)}, ${at("n * 10")}, ${at("n * 10")} FROM_SERIES`));
  await t.exec(series(CLIENTS, `INSERT INTO ${q("Client")} (id, ${q("clientId")}, name, ${q("tokenEndpointAuthMethod")}, ${q("redirectUris")}, scopes, ${q("grantTypes")}, ${q("ownerId")}, ${q("createdAt")}, ${q("updatedAt")})
    SELECT 'c' || ${pad("n", 4)}, 'lk_client' || n, 'App ' || n, CASE WHEN n % 3 = 0 THEN 'none' ELSE 'client_secret_basic' END, '["https://app.test/cb"]', 'openid', 'authorization_code', 'u' || ${pad(`(n * 37) % ${USERS} + 1`, 6)}, ${at("n * 600")}, ${at("n * 600")} FROM_SERIES`));
  await t.exec(series(CONSENTS, `INSERT INTO ${q("Consent")} (id, ${q("userId")}, ${q("clientId")}, scopes, ${q("createdAt")}, ${q("updatedAt")})
    SELECT 'g' || ${pad("n", 6)}, 'u' || ${pad("n", 6)}, 'c' || ${pad(`n % ${CLIENTS} + 1`, 4)}, 'openid', ${at("n * 20")}, ${at("n * 20")} FROM_SERIES`));
  // Access tokens: the last 24 hours of the seeded period, spread over the clients.
  const end = USERS * 10;
  await t.exec(series(TOKENS, `INSERT INTO ${q("AccessToken")} (jti, ${q("clientId")}, ${q("userId")}, scope, ${q("createdAt")}, ${q("expiresAt")})
    SELECT 't' || ${pad("n", 7)}, 'c' || ${pad(`n % ${CLIENTS} + 1`, 4)}, 'u' || ${pad(`n % ${CONSENTS} + 1`, 6)}, 'openid', ${at(`${end} - (n % 86400)`)}, ${at(`${end} + 600`)} FROM_SERIES`));
  // Audit events: one a second; actor, subject and (every 5th) client spread over users and clients.
  await t.exec(series(EVENTS, `INSERT INTO ${q("AuditEvent")} (id, ${q("createdAt")}, type, ${q("actorId")}, ${q("subjectId")}, ${q("clientId")}, ip, data)
    SELECT 'e' || ${pad("n", 7)}, ${at("n")}, ${typeExpr}, 'u' || ${pad(`(n * 7) % ${USERS} + 1`, 6)}, 'u' || ${pad(`n % ${USERS} + 1`, 6)},
      CASE WHEN n % 5 = 0 THEN 'c' || ${pad(`n % ${CLIENTS} + 1`, 4)} END, '203.0.113.' || (n % 250), '{"n":' || n || '}' FROM_SERIES`));
  await t.exec(sqlite ? "ANALYZE" : "VACUUM ANALYZE");
  return Date.now() - started;
}

interface Measured {
  name: string;
  rows: number;
  minMs: number;
  medianMs: number;
  plan: string;
}

async function measure(t: Target, name: string, run: () => Promise<{ rows: unknown[] }>): Promise<Measured> {
  const times: number[] = [];
  let rows = 0;
  await run(); // warm-up: Prisma compiles the query shape once
  for (let i = 0; i < RUNS; i++) {
    t.take();
    const start = performance.now();
    const page = await run();
    times.push(performance.now() - start);
    rows = page.rows.length;
  }
  // The plan of the list query itself: the statement that reads the main table (the first).
  const statements = t.take().filter((s) => /^\s*SELECT/i.test(s.sql));
  const main = statements[0];
  let plan = "";
  if (main) {
    try {
      plan = await t.explain(main.sql, main.params);
    } catch (err) {
      plan = `(explain failed: ${(err as Error).message.split("\n")[0]})`;
    }
  }
  times.sort((a, b) => a - b);
  if (process.env.BENCH_VERBOSE) console.log(name, times.map((x) => x.toFixed(1)).join(" "));
  return { name, rows, minMs: times[0]!, medianMs: times[Math.floor(times.length / 2)]!, plan };
}

async function cursorAt(t: Target, table: string, offset: number): Promise<Cursor> {
  const row = await t.one<{ createdAt: string | Date; id: string }>(
    `SELECT "createdAt", id FROM "${table}" ORDER BY "createdAt" DESC, id DESC LIMIT 1 OFFSET ${offset}`,
  );
  return decodeCursor(
    Buffer.from(JSON.stringify({ t: new Date(row.createdAt).toISOString(), i: row.id })).toString("base64url"),
  )!;
}

async function main() {
  const t = args.pg ? await pgTarget() : await sqliteTarget();
  try {
    console.log(`Seeding ${t.provider}: ${USERS} users, ${EVENTS} audit events, ${CLIENTS} clients, ${CONSENTS} consents, ${TOKENS} access tokens ...`);
    const ms = await seed(t);
    console.log(`Seeded in ${(ms / 1000).toFixed(1)} s. ${RUNS} runs per query after a warm-up (min and median; the machine is shared, so min is the cleaner figure); page size ${PAGE_SIZE}.\n`);
    const db = t.db;
    const limit = PAGE_SIZE;
    const deepUser = await cursorAt(t, "User", Math.floor(USERS * 0.9));
    const deepEvent = await cursorAt(t, "AuditEvent", Math.floor(EVENTS * 0.9));
    const day = new Date(BASE + Math.floor(EVENTS / 2) * 1000);
    const results: Measured[] = [];
    const m = async (name: string, run: () => Promise<{ rows: unknown[] }>) => {
      results.push(await measure(t, name, run));
    };
    await m("users: first page", () => listUsers(db, { cursor: null, limit }));
    await m("users: deep page (cursor at 90%)", () => listUsers(db, { cursor: deepUser, limit }));
    await m("users: search, many matches (\"example\")", () => listUsers(db, { q: "example", cursor: null, limit }));
    await m("users: search, one match (email)", () => listUsers(db, { q: `user${Math.floor(USERS / 3)}@`, cursor: null, limit }));
    await m("users: search by name (\"Grace\")", () => listUsers(db, { q: "Grace", cursor: null, limit }));
    await m("clients: first page (+ tokens 24 h)", () => listClients(db, { cursor: null, limit }));
    await m("grants: first page (+ live tokens)", () => listGrants(db, { cursor: null, limit }));
    await m("grants: by user email", () => listGrants(db, { userEmail: "user77@example.com", cursor: null, limit }));
    await m("grants: by client_id", () => listGrants(db, { clientId: "lk_client7", cursor: null, limit }));
    await m("audit: first page", () => listAudit(db, { cursor: null, limit }));
    await m("audit: deep page (cursor at 90%)", () => listAudit(db, { cursor: deepEvent, limit }));
    await m("audit: by actor", () => listAudit(db, { actorId: "u000777", cursor: null, limit }));
    await m("audit: by subject", () => listAudit(db, { subjectId: "u000777", cursor: null, limit }));
    await m("audit: by client", () => listAudit(db, { clientRowId: "c0006", cursor: null, limit }));
    await m("audit: by type", () => listAudit(db, { type: "user.disabled", cursor: null, limit }));
    await m("audit: by type, deep page", () => listAudit(db, { type: "user.disabled", cursor: deepEvent, limit }));
    await m("audit: time range (one day)", () => listAudit(db, { from: day, to: new Date(day.getTime() + 86_400_000), cursor: null, limit }));
    await m("audit: type + time range", () => listAudit(db, { type: "signin.failed", from: day, to: new Date(day.getTime() + 86_400_000), cursor: null, limit }));
    await m("audit: actor + type + time", () => listAudit(db, { actorId: "u000777", type: "signin.failed", from: new Date(BASE), to: day, cursor: null, limit }));

    const w = Math.max(...results.map((r) => r.name.length));
    console.log(`${"query".padEnd(w)}  ${"rows".padStart(4)}  ${"min ms".padStart(8)}  ${"median ms".padStart(9)}`);
    console.log(`${"-".repeat(w)}  ----  --------  ---------`);
    for (const r of results) {
      console.log(`${r.name.padEnd(w)}  ${String(r.rows).padStart(4)}  ${r.minMs.toFixed(2).padStart(8)}  ${r.medianMs.toFixed(2).padStart(9)}`);
    }
    console.log(`\nQuery plans (${t.provider === "sqlite" ? "EXPLAIN QUERY PLAN" : "EXPLAIN"} of each list's main statement):`);
    for (const r of results) console.log(`- ${r.name}: ${r.plan}`);
  } finally {
    await t.close();
  }
}

await main();
