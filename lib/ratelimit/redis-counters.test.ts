// The rate limiter's shared counters on the real Redis (127.0.0.1:6379, REDIS_TEST_URL), each
// test under a key prefix of its own: INCRBY is atomic across two clients (two servers), the
// expiry is the window's end, two limiters share one limit, and a Redis that is away fails fast.
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Redis } from "ioredis";
import { redisClient, redisCounters } from "./redis-counters";
import { RateLimiter } from "./limiter";

const URL = process.env.REDIS_TEST_URL ?? "redis://127.0.0.1:6379/0";
const MIN = 60_000;

describe("rate counters on Redis", () => {
  const prefix = `latchkey-test:${randomBytes(6).toString("hex")}:`;
  const clients: Redis[] = [];
  const client = () => {
    const c = redisClient(URL);
    clients.push(c);
    return c;
  };
  const one = client();
  const two = client();
  // Commands fail until a client is connected (enableOfflineQueue: false), as in production.
  beforeAll(async () => {
    await Promise.all([one, two].map((c) => (c.status === "ready" ? undefined : once(c, "ready"))));
  });
  afterAll(async () => {
    const keys = await one.keys(`${prefix}*`);
    if (keys.length) await one.del(...keys);
    for (const c of clients) c.disconnect();
  });

  it("adds deltas atomically, returns the totals, and expires a counter when its window ends", async () => {
    const a = redisCounters(one, { prefix });
    const b = redisCounters(two, { prefix });
    const exp = Date.now() + MIN;
    expect(await a.add([{ key: "k1@0", delta: 3, expiresAt: exp }])).toEqual([3]);
    expect(await b.add([{ key: "k1@0", delta: 2, expiresAt: exp }, { key: "k2@0", delta: 1, expiresAt: exp }, { key: "none@0", delta: 0, expiresAt: exp }])).toEqual([5, 1, 0]);
    const totals = (await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).add([{ key: "k3@0", delta: 1, expiresAt: exp }])))).map((r) => r[0]!);
    expect(totals.sort((x, y) => x - y)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(await one.pexpiretime(`${prefix}k1@0`)).toBe(exp);
  });

  it("two limiters (two servers) on one Redis share the limit; failures are exact at once", async () => {
    const now = () => 1_800_000_030_000;
    const a = new RateLimiter(redisCounters(one, { prefix }), { syncMs: 1000, now });
    const b = new RateLimiter(redisCounters(two, { prefix }), { syncMs: 1000, now });
    for (let i = 0; i < 6; i++) expect(a.hit("token.c", "shared", 10, MIN)).toBeNull();
    for (let i = 0; i < 4; i++) expect(b.hit("token.c", "shared", 10, MIN)).toBeNull();
    await a.sync();
    await b.sync();
    expect(b.hit("token.c", "shared", 10, MIN)).toBe(30);
    expect(await a.record("authfail.c", "shared", 5 * MIN)).toBe(1);
    expect(await b.record("authfail.c", "shared", 5 * MIN)).toBe(2);
    expect(b.peek("authfail.c", "shared", 2, 5 * MIN)).toBe(270);
  });

  it("a Redis that is away fails fast: the limiter counts locally and logs", async () => {
    const away = redisClient("redis://127.0.0.1:1/0"); // nothing listens on port 1
    clients.push(away);
    const logs: string[] = [];
    const l = new RateLimiter(redisCounters(away, { prefix }), { syncMs: 1000, log: (m) => logs.push(m) });
    const started = Date.now();
    expect(await l.record("authfail.c", "x", MIN)).toBe(1);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(l.hit("token.c", "x", 1, MIN)).toBeNull();
    await l.sync();
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(/^Rate limits: the shared counters could not be reached/);
  });
});
