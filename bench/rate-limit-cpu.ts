// What the rate limits add to each token request, in CPU, measured in-process (the full bench,
// `npm run bench`, runs with the limits on; docs/operations.md "Rate limits"):
//   npx tsx bench/rate-limit-cpu.ts [iterations]
// Runs exactly what lib/http/endpoints/token.ts and lib/oauth/client-auth.ts add per request
// (the caller's address, the address's and the client's volume counts, the two failure-budget
// looks) `iterations` times, and a background sync against the real Redis when one answers on
// REDIS_URL (default redis://127.0.0.1:6379/0), and prints microseconds of CPU per request.
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import type { RateLimitConfig } from "../lib/config";
import { callerAddress, RateLimits } from "../lib/http/rate-limits";
import { RateLimiter } from "../lib/ratelimit/limiter";
import { redisClient, redisCounters } from "../lib/ratelimit/redis-counters";

const iterations = Number(process.argv[2] ?? 20_000);
const config: RateLimitConfig = {
  perClientPerMinute: 1e9,
  perAddressPerMinute: 1e9,
  authFailuresPerClient: 10,
  authFailuresPerAddress: 30,
  authFailureWindowSeconds: 300,
  syncMs: 1000,
  redisUrl: null,
  redisKeyPrefix: "",
};
const headers = new Headers({ "x-latchkey-client-ip": "203.0.113.7" });
const req = { headers } as Parameters<typeof callerAddress>[0];

function perRequest(limits: RateLimits): void {
  const address = callerAddress(req);
  limits.admitAddress("token", address);
  limits.clientAuth("token", address).admit("bench-client-0123456789abcdef");
}

function measure(label: string, limits: RateLimits): void {
  for (let i = 0; i < 2000; i++) perRequest(limits); // warm-up (JIT)
  const before = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < iterations; i++) perRequest(limits);
  const cpu = process.cpuUsage(before);
  const us = (cpu.user + cpu.system) / iterations;
  console.log(`${label}: ${iterations} requests, ${us.toFixed(2)} µs CPU each (${((performance.now() - t0) * 1000 / iterations).toFixed(2)} µs wall)`);
}

const audit = async () => undefined;
measure("decision only (no shared counters)", new RateLimits({ limiter: new RateLimiter(null, { syncMs: 1000 }), config, audit }));

const redis = redisClient(process.env.REDIS_URL ?? "redis://127.0.0.1:6379/0");
try {
  await Promise.race([once(redis, "ready"), new Promise((_, reject) => setTimeout(() => reject(new Error("no Redis")), 2000))]);
  const prefix = `latchkey-bench:${randomBytes(4).toString("hex")}:`;
  const limiter = new RateLimiter(redisCounters(redis, { prefix }), { syncMs: 1000 });
  const limits = new RateLimits({ limiter, config, audit });
  perRequest(limits);
  const before = process.cpuUsage();
  const t0 = performance.now();
  await limiter.sync();
  const cpu = process.cpuUsage(before);
  console.log(`one sync of the 4 keys a client's token requests touch, on Redis: ${((cpu.user + cpu.system) / 1000).toFixed(2)} ms CPU, ${(performance.now() - t0).toFixed(2)} ms wall (once a second per instance)`);
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
} catch (err) {
  console.log(`(no sync figure: ${(err as Error).message})`);
} finally {
  redis.disconnect();
}
