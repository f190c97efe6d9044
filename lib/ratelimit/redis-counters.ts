// The rate limiter's shared counters in Redis (lib/ratelimit/limiter.ts), when REDIS_URL is set.
// One MULTI per sync: INCRBY (atomic; returns the total) and PEXPIREAT for each key written,
// GET for each key only read. The expiry removes a counter once its window has ended.
import { Redis } from "ioredis";
import type { CounterBackend } from "./limiter";

export interface RedisCounterOptions {
  /** Prepended to every key (REDIS_KEY_PREFIX), so that several deployments can share a server. */
  prefix: string;
  /** How long a command may take before it fails (and the limiter counts locally). */
  commandTimeoutMs?: number;
}

/** A Redis client that fails fast when the server is away instead of queueing commands. */
export function redisClient(url: string, opts: { commandTimeoutMs?: number } = {}): Redis {
  const client = new Redis(url, {
    // Commands sent while disconnected fail at once (the limiter then counts locally).
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: opts.commandTimeoutMs ?? 500,
    connectTimeout: 2000,
    // Reconnect in the background, at most every 2 s.
    retryStrategy: (times) => Math.min(times * 200, 2000),
    lazyConnect: false,
  });
  // Connection errors are reported by the limiter (rate-limited), not as unhandled events.
  client.on("error", () => undefined);
  return client;
}

export function redisCounters(client: Redis, opts: RedisCounterOptions): CounterBackend {
  return {
    async add(changes) {
      const p = client.multi();
      for (const c of changes) {
        const key = opts.prefix + c.key;
        if (c.delta > 0) p.incrby(key, c.delta).pexpireat(key, c.expiresAt);
        else p.get(key);
      }
      const results = (await p.exec()) ?? [];
      const totals: number[] = [];
      let r = 0;
      for (const c of changes) {
        const [err, value] = results[r]!;
        if (err) throw err;
        totals.push(Number(value ?? 0));
        r += c.delta > 0 ? 2 : 1;
      }
      return totals;
    },
  };
}
