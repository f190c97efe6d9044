// Shared counters in a Map, for the limiter's unit tests (lib/ratelimit/limiter.test.ts): the
// same contract as the database and Redis backends, whose own tests run the real ones. `down`
// makes every call fail, as an unreachable Redis or database would. Tests only.
import type { CounterBackend } from "../lib/ratelimit/limiter";

export interface MemoryCounters extends CounterBackend {
  counts: Map<string, number>;
  down: boolean;
  calls: number;
}

export function memoryCounters(): MemoryCounters {
  const m: MemoryCounters = {
    counts: new Map(),
    down: false,
    calls: 0,
    async add(changes) {
      m.calls++;
      if (m.down) throw new Error("connect ECONNREFUSED 127.0.0.1:6379");
      return changes.map((c) => {
        const n = (m.counts.get(c.key) ?? 0) + c.delta;
        if (c.delta > 0) m.counts.set(c.key, n);
        return n;
      });
    },
  };
  return m;
}
