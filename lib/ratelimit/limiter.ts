// Fixed-window rate limits that hold across instances without a network round trip per request
// (docs/operations.md, "Rate limits"). The design is the Kong rate-limiting plugin's `sync_rate`:
//
// - Every decision is SYNCHRONOUS, on an in-memory snapshot: the key's shared count as of the
//   last sync, plus this instance's hits since. The hit is counted first, then checked (DESIGN.md
//   "Count first, then check"), so parallel requests on one instance cannot outrun it.
// - A background sync every `syncMs` adds each key's local delta to the shared counter with one
//   atomic increment (an upsert-increment in the database, INCRBY in Redis), which returns the
//   new total, and reads the totals of the keys this instance only looked at.
// - So with N instances a key gets at most limit + N × (its rate per instance) × syncMs over the
//   limit before every instance knows (the overshoot bound, documented in docs/operations.md).
// - `record` is write-through: it awaits the atomic increment and returns the exact shared count
//   (failed client authentication: not a hot path, and it must hold exactly across instances).
// - A backend that fails (Redis down, database away) does not take the endpoints down: the
//   limiter keeps counting locally (fail open, per instance), logs at most one line per minute,
//   and merges the local counts into the shared ones once the backend answers again.

/** One shared counter's change: `delta` 0 only reads it. */
export interface CounterDelta {
  /** The limiter's key with its window: `kind:id@windowStart`. */
  key: string;
  delta: number;
  /** When the window has ended and the counter may go (ms since the epoch). */
  expiresAt: number;
}

/** Where the shared counts live: the database (lib/db/rate-counters.ts) or Redis (redis-counters.ts). */
export interface CounterBackend {
  /** Adds every delta atomically per key; returns each key's total after it (0 for an absent key read). */
  add(changes: readonly CounterDelta[]): Promise<number[]>;
}

export interface LimiterOptions {
  /** How often the snapshot is merged with the shared counters (RATE_LIMIT_SYNC_MS). */
  syncMs: number;
  now?: () => number;
  /** Keys tracked at once; beyond that, new keys of a kind share one budget (`kind:overflow`). */
  maxKeys?: number;
  /** Where a backend failure is reported (rate-limited to one line a minute). */
  log?: (message: string) => void;
}

interface Entry {
  /** `kind:id` (or `kind:overflow`). */
  key: string;
  windowStart: number;
  windowMs: number;
  /** The shared count as of the last answer from the backend (includes what we sent). */
  shared: number;
  /** Hits sent to the backend, not answered yet. */
  inflight: number;
  /** Hits since the last sync was sent. */
  pending: number;
  /** Looked at (hit or peeked) since the last sync: the sync refreshes it. */
  active: boolean;
}

const DEFAULT_MAX_KEYS = 100_000;
const LOG_EVERY_MS = 60_000;

/** Seconds from `t` to the end of the window, at least 1: a Retry-After value (RFC 9110 §10.2.3). */
export function secondsLeft(windowStart: number, windowMs: number, t: number): number {
  return Math.max(1, Math.ceil((windowStart + windowMs - t) / 1000));
}

export class RateLimiter {
  private readonly entries = new Map<string, Entry>();
  private readonly now: () => number;
  private readonly maxKeys: number;
  private timer: NodeJS.Timeout | undefined;
  private syncing: Promise<void> | null = null;
  private lastLog = -Infinity;

  constructor(
    private readonly backend: CounterBackend | null,
    private readonly opts: LimiterOptions,
  ) {
    this.now = opts.now ?? Date.now;
    this.maxKeys = opts.maxKeys ?? DEFAULT_MAX_KEYS;
  }

  /**
   * Counts one request against `kind:id` in a window of `windowMs`, then checks it: null when it
   * is within `limit`, else the seconds until the window ends. `limit` 0 is no limit (not counted).
   */
  hit(kind: string, id: string, limit: number, windowMs: number): number | null {
    if (limit <= 0) return null;
    const t = this.now();
    const e = this.entry(kind, id, windowMs, t, true)!;
    e.pending++;
    return e.shared + e.inflight + e.pending <= limit ? null : secondsLeft(e.windowStart, windowMs, t);
  }

  /**
   * Whether `kind:id` has already used up `limit` in this window (without counting): null, or
   * the seconds until the window ends. A key is refreshed from the backend by the next sync.
   */
  peek(kind: string, id: string, limit: number, windowMs: number): number | null {
    if (limit <= 0) return null;
    const t = this.now();
    // Looking must not fill the table: a key it has no room for is not known to be over.
    const e = this.entry(kind, id, windowMs, t, false);
    if (!e) return null;
    return e.shared + e.inflight + e.pending < limit ? null : secondsLeft(e.windowStart, windowMs, t);
  }

  /**
   * Write-through: counts one event against `kind:id` in the shared counter now and returns
   * the shared count including it (exact across instances). If the backend fails, the event is
   * counted locally (and merged by a later sync) and the local estimate is returned.
   */
  async record(kind: string, id: string, windowMs: number): Promise<number> {
    const t = this.now();
    const e = this.entry(kind, id, windowMs, t, true)!;
    const windowStart = e.windowStart;
    if (this.backend) {
      try {
        const [total] = await this.backend.add([{ key: `${e.key}@${windowStart}`, delta: 1, expiresAt: windowStart + windowMs }]);
        if (e.windowStart === windowStart) e.shared = Math.max(e.shared, total!);
        return total!;
      } catch (err) {
        this.logFailure(err);
      }
    }
    e.pending++;
    return e.shared + e.inflight + e.pending;
  }

  /** Seconds until the current window of `windowMs` ends: a Retry-After value. */
  retryAfter(windowMs: number): number {
    const t = this.now();
    return secondsLeft(t - (t % windowMs), windowMs, t);
  }

  /** Starts the background sync (a timer that does not keep the process alive). */
  start(): this {
    if (this.backend && !this.timer) {
      this.timer = setInterval(() => void this.sync(), this.opts.syncMs);
      this.timer.unref();
    }
    return this;
  }

  /** Stops the background sync after a last one, so that no counted hit is lost. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.sync();
  }

  /**
   * Sends every local delta to the backend and refreshes the snapshot of every key looked at
   * since the last sync; drops the keys whose window has ended. One sync at a time.
   */
  sync(): Promise<void> {
    this.syncing ??= this.syncOnce().finally(() => {
      this.syncing = null;
    });
    return this.syncing;
  }

  private async syncOnce(): Promise<void> {
    const t = this.now();
    const batch: { e: Entry; key: string; windowStart: number; sent: number }[] = [];
    for (const [k, e] of this.entries) {
      if (e.windowStart + e.windowMs <= t) {
        // The window has ended: its counts decide nothing any more.
        this.entries.delete(k);
        continue;
      }
      if (!e.active && e.pending === 0) continue;
      batch.push({ e, key: `${e.key}@${e.windowStart}`, windowStart: e.windowStart, sent: e.pending });
      e.inflight += e.pending;
      e.pending = 0;
      e.active = false;
    }
    if (!this.backend || batch.length === 0) return;
    let totals: number[];
    try {
      totals = await this.backend.add(batch.map((b) => ({ key: b.key, delta: b.sent, expiresAt: b.windowStart + b.e.windowMs })));
    } catch (err) {
      // Keep counting locally; the next sync sends these again.
      for (const b of batch) {
        b.e.inflight -= b.sent;
        if (b.e.windowStart === b.windowStart) b.e.pending += b.sent;
      }
      this.logFailure(err);
      return;
    }
    batch.forEach((b, i) => {
      b.e.inflight -= b.sent;
      if (b.e.windowStart === b.windowStart) b.e.shared = Math.max(b.e.shared, totals[i]!);
    });
  }

  /**
   * The entry of `kind:id` in the current window, created when missing; when the table is full,
   * the kind's shared overflow entry, or null when only looking (`create` false).
   */
  private entry(kind: string, id: string, windowMs: number, t: number, create: boolean): Entry | null {
    const windowStart = t - (t % windowMs);
    let k = `${kind}:${id}`;
    let e = this.entries.get(k);
    if (!e && this.entries.size >= this.maxKeys) {
      if (!create) return null;
      k = `${kind}:overflow`;
      e = this.entries.get(k);
    }
    if (!e) {
      e = { key: k, windowStart, windowMs, shared: 0, inflight: 0, pending: 0, active: true };
      this.entries.set(k, e);
      return e;
    }
    if (e.windowStart !== windowStart) {
      e.windowStart = windowStart;
      e.windowMs = windowMs;
      e.shared = 0;
      e.pending = 0;
    }
    e.active = true;
    return e;
  }

  private logFailure(err: unknown): void {
    const t = this.now();
    if (t - this.lastLog < LOG_EVERY_MS) return;
    this.lastLog = t;
    const text = err instanceof Error ? err.message : String(err);
    (this.opts.log ?? console.error)(
      `Rate limits: the shared counters could not be reached (${text.split("\n")[0]!.slice(0, 200)}); counting on this instance alone until they answer again`,
    );
  }
}

