// GET /api/health (liveness) and GET /api/ready (readiness), for a load balancer or an
// orchestrator. Not OAuth endpoints, so not in discovery; documented in the README.
// - health: the process answers. No database: a database outage must not get every instance
//   restarted (it would not help, and restarts would pile onto the outage).
// - ready: this instance can serve now: not draining (shutting down), the database answers a
//   trivial query within a short time, and no migration is pending. Otherwise 503 with the check
//   that failed named in the body (never an error's text).
import type { Endpoint, PlainResponse } from "../endpoint";
import type { DatabaseCheck, MigrationsCheck } from "../../db/readiness";
import { readiness } from "../../runtime";

const NO_STORE = { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" } as const;

const respond = (status: number, body: unknown): PlainResponse => ({ status, headers: { ...NO_STORE }, body: JSON.stringify(body) });

export const healthGET: Endpoint = async () => respond(200, { status: "ok" });

export interface ReadinessEnv {
  /** True once the server has begun to shut down (it finishes what it has, takes nothing new). */
  draining(): boolean;
  database(): Promise<DatabaseCheck>;
  migrations(): Promise<MigrationsCheck>;
}

export function makeReady(env: () => ReadinessEnv): Endpoint {
  return async () => {
    const e = env();
    if (e.draining()) return respond(503, { status: "unavailable", failed: ["draining"], checks: { draining: "draining" } });
    const database = await e.database();
    // Migrations are read from the database: only asked when it answers.
    const migrations = database === "ok" ? await e.migrations() : "not_checked";
    const failed = [...(database !== "ok" ? ["database"] : []), ...(database === "ok" && migrations !== "ok" ? ["migrations"] : [])];
    const checks = { draining: "ok", database, migrations };
    return failed.length === 0 ? respond(200, { status: "ready", checks }) : respond(503, { status: "unavailable", failed, checks });
  };
}

export const readyGET = makeReady(readiness);
