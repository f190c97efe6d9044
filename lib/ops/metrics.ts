// Prometheus metrics (prom-client): the one registry of the process and every metric in it.
// Served at GET /metrics when METRICS_TOKEN is set (lib/http/endpoints/metrics.ts).
//
// One registry per process, not per copy of this module: `npm start` loads lib/ twice (the lean
// router under tsx, and Next's bundle; lib/process-wide.ts says why), and a token issued in one
// copy must be counted where /metrics reads. So the registry and its metrics live on processWide,
// made on first use (never at import: `next build` imports this and needs none of it).
//
// Label values are bounded: a route is the lean router's route key (or "next" for everything
// Next serves), never a raw path; an outcome is a status class; a grant type is one of the
// grant types the token endpoint accepted.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import { processWide } from "../process-wide";

/** What the SQL runner of the hot paths reports (lib/db/protocol/sql.ts). */
export interface SqlStats {
  /** PostgreSQL: connections open, idle, and queries waiting for one. SQLite: absent. */
  pool?: { total: number; idle: number; waiting: number };
  /** SQLite: writes handed to the writer thread and not yet committed. PostgreSQL: absent. */
  writerQueue?: number;
}

const STATUS_CLASSES = ["1xx", "2xx", "3xx", "4xx", "5xx"] as const;

/** Request latency buckets, in seconds: a token request takes ~1 ms, a page tens. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "latchkey_" });
  let sqlStats: () => SqlStats = () => ({});
  const issuedBy = new Map<string, { inc(): void }>();
  const m = {
    registry,
    requests: new Histogram({
      name: "latchkey_http_request_duration_seconds",
      help: "Requests by route (the lean router's route, or next for pages) and status class: latency in seconds; _count is the number of requests.",
      labelNames: ["route", "status"] as const,
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    }),
    oauthErrors: new Counter({
      name: "latchkey_oauth_errors_total",
      help: "OAuth error responses of the protocol endpoints, by route and error code (RFC 6749 §5.2).",
      labelNames: ["route", "error"] as const,
      registers: [registry],
    }),
    tokensIssued: new Counter({
      name: "latchkey_tokens_issued_total",
      help: "Successful token responses by grant type.",
      labelNames: ["grant_type"] as const,
      registers: [registry],
    }),
    refreshReuse: new Counter({
      name: "latchkey_refresh_reuse_detected_total",
      help: "A rotated refresh token presented again: its family was revoked (RFC 9700 §4.14.2).",
      registers: [registry],
    }),
    codeReplay: new Counter({
      name: "latchkey_code_replay_detected_total",
      help: "An authorization code presented again: its tokens were revoked (RFC 6749 §4.1.2).",
      registers: [registry],
    }),
    signIns: new Counter({
      name: "latchkey_signins_total",
      help: "Portal password sign-ins by outcome: success, failure (wrong email or password, disabled account), lockout (this failure locked an account or address), throttled (refused by a lock or delay, password not checked).",
      labelNames: ["outcome"] as const,
      registers: [registry],
    }),
    purgeRuns: new Counter({
      name: "latchkey_purge_runs_total",
      help: "Runs of the purge of expired rows, by result (ok, failed).",
      labelNames: ["result"] as const,
      registers: [registry],
    }),
    purgedRows: new Counter({
      name: "latchkey_purged_rows_total",
      help: "Rows deleted by the purge, by table.",
      labelNames: ["table"] as const,
      registers: [registry],
    }),
    sqliteCommits: new Histogram({
      name: "latchkey_sqlite_writer_commit_seconds",
      help: "SQLite writer thread: time of each group commit (one transaction holding every write queued meanwhile), fsync included.",
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5],
      registers: [registry],
    }),
    /** A successful token response of this grant type (one of the few the token endpoint accepts). */
    tokenIssued(grantType: string) {
      let child = issuedBy.get(grantType);
      if (!child) issuedBy.set(grantType, (child = m.tokensIssued.labels(grantType)));
      child.inc();
    },
    /** The SQL runner reports its pool and queue through this, read at scrape time only. */
    setSqlStats(f: () => SqlStats) {
      sqlStats = f;
    },
  };
  const pool = (key: "total" | "idle" | "waiting") =>
    function (this: Gauge) {
      const p = sqlStats().pool;
      if (p) this.set(p[key]);
    };
  new Gauge({ name: "latchkey_pg_pool_connections", help: "PostgreSQL pool of the hot paths: open connections.", registers: [registry], collect: pool("total") });
  new Gauge({ name: "latchkey_pg_pool_idle", help: "PostgreSQL pool of the hot paths: idle connections.", registers: [registry], collect: pool("idle") });
  new Gauge({
    name: "latchkey_pg_pool_waiting",
    help: "PostgreSQL pool of the hot paths: queries waiting for a connection.",
    registers: [registry],
    collect: pool("waiting"),
  });
  new Gauge({
    name: "latchkey_sqlite_writer_queue",
    help: "SQLite writer thread: writes sent and not yet committed.",
    registers: [registry],
    collect(this: Gauge) {
      const q = sqlStats().writerQueue;
      if (q !== undefined) this.set(q);
    },
  });
  return m;
}

export type Metrics = ReturnType<typeof createMetrics>;

/** The process's metrics (made on first use). */
export function metrics(): Metrics {
  return (processWide.metrics ??= createMetrics()) as Metrics;
}

/** The metrics if this process has built them: the server does at start; the CLI and most tests never do, and need not pay for them. */
export function builtMetrics(): Metrics | undefined {
  return processWide.metrics as Metrics | undefined;
}

/** "2xx" for 204: the status label of a response. */
export function statusClass(status: number): string {
  return STATUS_CLASSES[Math.floor(status / 100) - 1] ?? "5xx";
}

/** Sign-in outcomes by the audit event that records them (lib/auth/sign-in.ts). */
const SIGN_IN_OUTCOMES: Record<string, string> = {
  "signin.succeeded": "success",
  "signin.failed": "failure",
  "signin.refused_disabled": "failure",
  "signin.locked": "lockout",
  "signin.throttled": "throttled",
};

/**
 * Counts the audit events that are also metrics: sign-ins, refresh reuse, code replay. Called
 * once the event is written (lib/db/audit.ts), so every path that records one is counted.
 */
export function countAuditEvent(type: string): void {
  const m = builtMetrics();
  if (!m) return;
  const outcome = SIGN_IN_OUTCOMES[type];
  if (outcome) m.signIns.inc({ outcome });
  else if (type === "refresh.reuse_detected") m.refreshReuse.inc();
  else if (type === "code.replay_detected") m.codeReplay.inc();
}
