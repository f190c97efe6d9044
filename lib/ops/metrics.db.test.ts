// The metrics the data layer feeds (issue 18 §4), on real SQLite and PostgreSQL: the SQLite
// writer's commit time and queue, the PostgreSQL pool, sign-ins and refresh reuse as their audit
// events are written, and the purge's runs and rows.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROVIDERS, tempDatabase, type TempDatabase } from "@test/db";
import { audit } from "../db/audit";
import { createSql, type Sql } from "../db/protocol/sql";
import { purgeStore } from "../db/purge";
import { protocolStores } from "../db/protocol";
import { processWide } from "../process-wide";
import { countAuditEvent, createMetrics, statusClass, type Metrics } from "./metrics";

let m: Metrics;
beforeAll(() => {
  m = createMetrics();
  processWide.metrics = m;
});
afterAll(() => {
  processWide.metrics = undefined;
});

async function value(name: string, labels: Record<string, string> = {}): Promise<number> {
  for (const metric of await m.registry.getMetricsAsJSON()) {
    for (const v of metric.values as { metricName?: string; labels: Record<string, string | number>; value: number }[]) {
      if ((v.metricName ?? metric.name) === name && Object.entries(labels).every(([k, l]) => String(v.labels[k]) === l)) return v.value;
    }
  }
  return 0;
}

describe("countAuditEvent", () => {
  it("sign-in outcomes, refresh reuse and code replay; other events count nothing", async () => {
    const events = ["signin.succeeded", "signin.failed", "signin.refused_disabled", "signin.locked", "signin.throttled", "refresh.reuse_detected", "code.replay_detected"];
    const was = await Promise.all(
      [["success"], ["failure"], ["lockout"], ["throttled"]].map(([outcome]) => value("latchkey_signins_total", { outcome: outcome! })),
    );
    for (const e of events) countAuditEvent(e);
    countAuditEvent("client.created");
    expect(await value("latchkey_signins_total", { outcome: "success" })).toBe(was[0]! + 1);
    expect(await value("latchkey_signins_total", { outcome: "failure" })).toBe(was[1]! + 2);
    expect(await value("latchkey_signins_total", { outcome: "lockout" })).toBe(was[2]! + 1);
    expect(await value("latchkey_signins_total", { outcome: "throttled" })).toBe(was[3]! + 1);
    expect(await value("latchkey_refresh_reuse_detected_total")).toBeGreaterThanOrEqual(1);
    expect(await value("latchkey_code_replay_detected_total")).toBeGreaterThanOrEqual(1);
  });

  it("nothing is built or counted in a process without metrics (the CLI)", () => {
    processWide.metrics = undefined;
    countAuditEvent("signin.failed");
    expect(processWide.metrics).toBeUndefined();
    processWide.metrics = m;
  });

  it("statusClass", () => {
    expect([100, 200, 204, 302, 404, 429, 500, 503].map(statusClass)).toEqual(["1xx", "2xx", "2xx", "3xx", "4xx", "4xx", "5xx", "5xx"]);
  });
});

describe.each(PROVIDERS)("metrics fed by the data layer on %s", (provider) => {
  let t: TempDatabase;
  let sql: Sql;
  beforeAll(async () => {
    t = await tempDatabase(provider);
    sql = createSql(t.url);
    t.onDrop(() => sql.close());
    m.setSqlStats(() => sql.stats());
  });
  afterAll(async () => {
    m.setSqlStats(() => ({}));
    await t?.drop();
  });

  const event = () =>
    sql.batch([
      {
        sql: 'INSERT INTO "AuditEvent" ("id", "createdAt", "type", "data") VALUES (?, ?, ?, ?)',
        params: [crypto.randomUUID(), new Date(), "test.event", null],
      },
    ]);

  it(provider === "sqlite" ? "the writer's commits are timed, its queue is a gauge" : "the pool's connections are gauges", async () => {
    const commits = await value("latchkey_sqlite_writer_commit_seconds_count");
    const writes = Array.from({ length: 20 }, event);
    if (provider === "sqlite") {
      // Sent and not yet committed: the queue holds them.
      expect(sql.stats().writerQueue).toBe(20);
      await Promise.all(writes);
      expect(await value("latchkey_sqlite_writer_queue")).toBe(0);
      const after = await value("latchkey_sqlite_writer_commit_seconds_count");
      // Group commit: at least one commit, at most one per write.
      expect(after - commits).toBeGreaterThanOrEqual(1);
      expect(after - commits).toBeLessThanOrEqual(20);
      expect(await value("latchkey_sqlite_writer_commit_seconds_sum")).toBeGreaterThan(0);
      expect(await value("latchkey_pg_pool_connections")).toBe(0);
    } else {
      await Promise.all(writes);
      const [total, idle, waiting] = [
        await value("latchkey_pg_pool_connections"),
        await value("latchkey_pg_pool_idle"),
        await value("latchkey_pg_pool_waiting"),
      ];
      expect(total).toBeGreaterThanOrEqual(1);
      expect(total).toBeLessThanOrEqual(8);
      expect(idle).toBe(total); // nothing in flight now
      expect(waiting).toBe(0);
      // Ten queries on a pool of eight: two wait for a connection, and the gauge says so.
      const busy = Array.from({ length: 10 }, () => sql.one("SELECT pg_sleep(0.2)", []));
      await new Promise((r) => setTimeout(r, 50));
      expect(await value("latchkey_pg_pool_waiting")).toBe(2);
      expect(await value("latchkey_pg_pool_connections")).toBe(8);
      await Promise.all(busy);
    }
  });

  it("an audit event written through audit() is counted once it is written", async () => {
    const before = await value("latchkey_refresh_reuse_detected_total");
    await audit(t.db, { type: "refresh.reuse_detected", subjectId: null, clientId: null });
    expect(await value("latchkey_refresh_reuse_detected_total")).toBe(before + 1);
  });

  it("refresh reuse revoked by the token store (its event written in the revocation's transaction, not through audit()) is counted once", async () => {
    const before = await value("latchkey_refresh_reuse_detected_total");
    await protocolStores(t.db, sql).tokens.revokeOnReuse("no-such-grant", new Date(), { userId: "u1", clientId: "c1" });
    expect(await value("latchkey_refresh_reuse_detected_total")).toBe(before + 1);
  });

  it("the purge: one run counted, rows by table", async () => {
    await t.db.auditEvent.create({ data: { type: "old.event", createdAt: new Date(Date.now() - 400 * 86_400_000) } });
    const runs = await value("latchkey_purge_runs_total", { result: "ok" });
    const rows = await value("latchkey_purged_rows_total", { table: "auditEvents" });
    const counts = await purgeStore(t.db).purgeExpired({ now: new Date(), auditRetentionDays: 365, throttleWindowSeconds: 900 });
    expect(counts.auditEvents).toBe(1);
    expect(await value("latchkey_purge_runs_total", { result: "ok" })).toBe(runs + 1);
    expect(await value("latchkey_purged_rows_total", { table: "auditEvents" })).toBe(rows + 1);
  });
});
