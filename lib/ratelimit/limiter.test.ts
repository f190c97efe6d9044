// The limiter's rules on an in-memory backend (the database and Redis backends have their own
// tests with the same two-instance checks): fixed windows, the Retry-After value, count first,
// sync merging, the overshoot bound across instances, write-through, failing open.
import { describe, expect, it } from "vitest";
import { memoryCounters } from "@test/memory-counters";
import { RateLimiter } from "./limiter";

const T0 = 1_800_000_000_000; // on a minute boundary
const MIN = 60_000;

function clock(start = T0) {
  const c = { t: start, now: () => c.t };
  return c;
}

describe("RateLimiter.hit", () => {
  it("allows `limit` hits per window, refuses the next with the seconds left in the window", () => {
    const c = clock(T0 + 15_000);
    const l = new RateLimiter(null, { syncMs: 1000, now: c.now });
    expect([l.hit("t", "a", 3, MIN), l.hit("t", "a", 3, MIN), l.hit("t", "a", 3, MIN)]).toEqual([null, null, null]);
    expect(l.hit("t", "a", 3, MIN)).toBe(45);
    // Another key, or the same id under another kind, has its own budget.
    expect(l.hit("t", "b", 3, MIN)).toBeNull();
    expect(l.hit("u", "a", 3, MIN)).toBeNull();
    c.t = T0 + 59_001;
    expect(l.hit("t", "a", 3, MIN)).toBe(1); // never 0: Retry-After is at least 1
    c.t = T0 + MIN; // the next window starts afresh
    expect(l.hit("t", "a", 3, MIN)).toBeNull();
  });

  it("counts first: a refused hit counts too, so a burst cannot outrun the limit", () => {
    const l = new RateLimiter(null, { syncMs: 1000, now: clock().now });
    const results = Array.from({ length: 10 }, () => l.hit("t", "a", 4, MIN));
    expect(results.filter((r) => r === null)).toHaveLength(4);
    expect(results.slice(0, 4)).toEqual([null, null, null, null]);
  });

  it("a limit of 0 is no limit", () => {
    const l = new RateLimiter(null, { syncMs: 1000, now: clock().now });
    for (let i = 0; i < 100; i++) expect(l.hit("t", "a", 0, MIN)).toBeNull();
  });

  it("beyond maxKeys, new keys of a kind share one budget", () => {
    const l = new RateLimiter(null, { syncMs: 1000, now: clock().now, maxKeys: 2 });
    expect(l.hit("t", "a", 2, MIN)).toBeNull();
    expect(l.hit("t", "b", 2, MIN)).toBeNull();
    expect(l.hit("t", "c", 2, MIN)).toBeNull(); // overflow: 1
    expect(l.hit("t", "d", 2, MIN)).toBeNull(); // overflow: 2
    expect(l.hit("t", "e", 2, MIN)).toBe(60);
    // Looking does not fill the table, nor reports an unknown key as over.
    expect(l.peek("f", "x", 1, MIN)).toBeNull();
  });
});

describe("RateLimiter across instances", () => {
  it("a sync adds the local delta to the shared counter and brings back the others' hits", async () => {
    const backend = memoryCounters();
    const c = clock(T0 + 1000);
    const a = new RateLimiter(backend, { syncMs: 1000, now: c.now });
    const b = new RateLimiter(backend, { syncMs: 1000, now: c.now });
    for (let i = 0; i < 3; i++) a.hit("t", "k", 5, MIN);
    b.hit("t", "k", 5, MIN);
    await a.sync();
    expect(backend.counts.get(`t:k@${T0}`)).toBe(3);
    await b.sync();
    expect(backend.counts.get(`t:k@${T0}`)).toBe(4);
    // b now knows of a's 3: its 5th hit is the last allowed one, the 6th is refused.
    expect(b.hit("t", "k", 5, MIN)).toBeNull();
    expect(b.hit("t", "k", 5, MIN)).toBe(59);
    // a learns of b's hits by its next sync after it looked at the key, even without sending anything.
    await b.sync();
    expect(a.peek("t", "k", 5, MIN)).toBeNull(); // a's snapshot: 3 (an idle key is not refreshed)
    await a.sync();
    expect(a.peek("t", "k", 5, MIN)).toBe(59);
    expect(a.hit("t", "k", 5, MIN)).toBe(59);
  });

  it("hits made while a sync is in flight are kept for the next one", async () => {
    const backend = memoryCounters();
    const l = new RateLimiter(backend, { syncMs: 1000, now: clock().now });
    l.hit("t", "k", 100, MIN);
    const s = l.sync();
    l.hit("t", "k", 100, MIN);
    await s;
    expect(backend.counts.get(`t:k@${T0}`)).toBe(1);
    await l.sync();
    expect(backend.counts.get(`t:k@${T0}`)).toBe(2);
  });

  it("overshoot across N instances stays within limit + N × hits per instance per sync interval", async () => {
    const backend = memoryCounters();
    const c = clock();
    const N = 2;
    const perInterval = 7; // hits each instance receives between two syncs
    const limit = 50;
    const instances = Array.from({ length: N }, () => new RateLimiter(backend, { syncMs: 1000, now: c.now }));
    let allowed = 0;
    for (let round = 0; round < 40; round++) {
      for (const l of instances) for (let i = 0; i < perInterval; i++) if (l.hit("t", "k", limit, MIN) === null) allowed++;
      await Promise.all(instances.map((l) => l.sync()));
      c.t += 1000;
    }
    expect(allowed).toBeGreaterThanOrEqual(limit);
    expect(allowed).toBeLessThanOrEqual(limit + N * perInterval);
    // Every hit, allowed or refused, reached the shared counter.
    expect(backend.counts.get(`t:k@${T0}`)).toBe(40 * N * perInterval);
  });

  it("record is written through: the shared count is exact across instances at once", async () => {
    const backend = memoryCounters();
    const c = clock();
    const a = new RateLimiter(backend, { syncMs: 1000, now: c.now });
    const b = new RateLimiter(backend, { syncMs: 1000, now: c.now });
    expect(await a.record("f", "k", 5 * MIN)).toBe(1);
    expect(await b.record("f", "k", 5 * MIN)).toBe(2);
    expect(await Promise.all([a.record("f", "k", 5 * MIN), b.record("f", "k", 5 * MIN)])).toEqual([3, 4]);
    // b knows its own answers at once; peek refuses at the limit (4 used of 4).
    expect(b.peek("f", "k", 4, 5 * MIN)).toBe(300);
    expect(b.peek("f", "k", 5, 5 * MIN)).toBeNull();
  });

  it("fails open when the backend is down: counts locally, logs once a minute, merges after", async () => {
    const backend = memoryCounters();
    const c = clock();
    const logs: string[] = [];
    const l = new RateLimiter(backend, { syncMs: 1000, now: c.now, log: (m) => logs.push(m) });
    backend.down = true;
    expect(l.hit("t", "k", 3, MIN)).toBeNull();
    await l.sync();
    await l.sync();
    expect(await l.record("f", "k", MIN)).toBe(1);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(/^Rate limits: the shared counters could not be reached \(connect ECONNREFUSED/);
    // Still limited on this instance alone.
    expect([l.hit("t", "k", 3, MIN), l.hit("t", "k", 3, MIN), l.hit("t", "k", 3, MIN)]).toEqual([null, null, 57 + 3]);
    backend.down = false;
    await l.sync();
    expect(backend.counts.get(`t:k@${T0}`)).toBe(4);
    expect(backend.counts.get(`f:k@${T0}`)).toBe(1);
  });

  it("start() syncs in the background; stop() sends what is left", async () => {
    const backend = memoryCounters();
    const l = new RateLimiter(backend, { syncMs: 20 }).start();
    l.hit("t", "k", 10, MIN);
    await new Promise((r) => setTimeout(r, 80));
    expect([...backend.counts.values()]).toEqual([1]);
    l.hit("t", "k", 10, MIN);
    await l.stop();
    expect([...backend.counts.values()]).toEqual([2]);
  });
});
