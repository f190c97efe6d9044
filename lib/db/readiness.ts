// What GET /api/ready checks in the database (lib/http/endpoints/health.ts): that it answers a
// trivial query on the hot paths' own connection within a short time, and that no checked-in
// migration is pending (start-up applies them: scripts/lib/prisma.ts migrateIfNeeded; a database
// restored from an old backup, or one another version rolled back, would have some pending).
import type { Db } from "./client";
import type { DbProvider } from "../config/database-url";
import { migrationNames } from "./migrations";
import type { Sql } from "./protocol/sql";

export type DatabaseCheck = "ok" | "unreachable" | "timeout";
export type MigrationsCheck = "ok" | "pending" | "timeout";

const TIMED_OUT = Symbol("timeout");

/** `p`, or TIMED_OUT after `ms` (the query itself goes on; a stalled one cannot be called back). */
function within<T>(p: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<typeof TIMED_OUT>((r) => {
    timer = setTimeout(() => r(TIMED_OUT), ms);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

export interface ReadinessOptions {
  sql(): Pick<Sql, "one">;
  db(): Db;
  provider: DbProvider;
  timeoutMs: number;
  /** Where prisma/<provider>/migrations is (default: the working directory). */
  root?: string;
}

export function databaseReadiness(o: ReadinessOptions) {
  let expected: string[] | undefined; // the checked-in migrations do not change while we run
  return {
    async database(): Promise<DatabaseCheck> {
      try {
        const r = await within(o.sql().one('SELECT 1 AS "ok"', []), o.timeoutMs);
        return r === TIMED_OUT ? "timeout" : "ok";
      } catch {
        return "unreachable";
      }
    },
    async migrations(): Promise<MigrationsCheck> {
      expected ??= migrationNames(o.provider, o.root);
      let applied: { migration_name: string }[] | typeof TIMED_OUT;
      try {
        applied = await within(
          o.db().$queryRawUnsafe<{ migration_name: string }[]>(
            "SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL",
          ),
          o.timeoutMs,
        );
      } catch {
        return "pending"; // the database answered (checked first) but has no migrations table
      }
      if (applied === TIMED_OUT) return "timeout";
      const done = new Set(applied.map((r) => r.migration_name));
      return expected.every((m) => done.has(m)) ? "ok" : "pending";
    },
  };
}
