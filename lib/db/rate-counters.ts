// The rate limiter's shared counters in the database (lib/ratelimit/limiter.ts; the default when
// REDIS_URL is not set). Each change is one upsert-increment per key, which returns the total
// (count first, then check: DESIGN.md). Rows of ended windows are removed by the purge.
import type { Db } from "./client";
import type { CounterBackend, CounterDelta } from "../ratelimit/limiter";

/** Keys per read (Prisma's SQLite adapter binds at most 999 values a statement). */
const READ_BATCH = 500;

export function rateCounterStore(db: Db): CounterBackend {
  const increment = (c: CounterDelta) =>
    db.rateCounter.upsert({
      where: { key: c.key },
      create: { key: c.key, count: c.delta, expiresAt: new Date(c.expiresAt) },
      update: { count: { increment: c.delta } },
      select: { count: true },
    });

  return {
    async add(changes) {
      const totals = new Array<number>(changes.length).fill(0);
      const writes = changes.flatMap((c, i) => (c.delta > 0 ? [i] : []));
      const reads = changes.flatMap((c, i) => (c.delta > 0 ? [] : [i]));
      if (writes.length === 1) totals[writes[0]!] = (await increment(changes[writes[0]!]!)).count;
      else if (writes.length > 1) {
        // One transaction: one commit for the whole sync.
        const rows = await db.$transaction(writes.map((i) => increment(changes[i]!)));
        rows.forEach((r, j) => {
          totals[writes[j]!] = r.count;
        });
      }
      for (let from = 0; from < reads.length; from += READ_BATCH) {
        const part = reads.slice(from, from + READ_BATCH);
        const rows = await db.rateCounter.findMany({
          where: { key: { in: part.map((i) => changes[i]!.key) } },
          select: { key: true, count: true },
        });
        const byKey = new Map(rows.map((r) => [r.key, r.count]));
        for (const i of part) totals[i] = byKey.get(changes[i]!.key) ?? 0;
      }
      return totals;
    },
  };
}
