// The one object this process keeps on globalThis, and why: `npm start` loads lib/ twice in one
// process (once in dist/start.js, the bundled scripts/start.ts, for the lean protocol router; once
// inside Next's server bundle for pages and server actions), and `next dev` evaluates modules again on every
// reload. What must exist once per process (the database pools, the SQLite writer thread, the key
// ring's cache, the anonymous-write and rate-limit counts, the client cache's generation) is kept here, so that
// every copy of every module finds the same one. The composition root (lib/runtime.ts) fills it.
import type { Db } from "./db/client";
import type { AnonymousWriteLimit } from "./http/anonymous-writes";
import type { OAuthDeps } from "./oauth/types";
import type { RateLimiter } from "./ratelimit/limiter";

export interface ProcessWide {
  /** Bumped after every committed change to a client (lib/db/hot/client-cache.ts). */
  clientGeneration: { n: number };
  db?: Db;
  /**
   * The hot paths' SQL runner (lib/db/protocol/sql.ts, typed by lib/runtime.ts): the protocol
   * stores', readiness's and the metrics', closed at shutdown (closeRuntime). The metrics and log slots below are typed by their
   * modules too: those modules are imported by the SQL runner, so a type here would be a cycle.
   */
  sql?: unknown;
  oauth?: OAuthDeps;
  anonymousWrites?: AnonymousWriteLimit;
  clientDocumentFetches?: AnonymousWriteLimit;
  /** Set on SIGTERM/SIGINT (lib/http/shutdown.ts): the process is finishing its last requests. */
  draining?: boolean;
  /** The rate limits' counters (lib/ratelimit/limiter.ts) and their background sync. */
  rateLimiter?: RateLimiter;
  /** The metrics registry (lib/ops/metrics.ts, which types it; typed there to keep this a leaf). */
  metrics?: unknown;
  /** The logger and its rate limits (lib/log/logger.ts, which types it). */
  log?: unknown;
}

const slot = globalThis as typeof globalThis & { __latchkey?: ProcessWide };

export const processWide: ProcessWide = (slot.__latchkey ??= { clientGeneration: { n: 0 } });
