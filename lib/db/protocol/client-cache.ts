// A short-lived, in-process cache of client records for the protocol's hot paths.
//
// Every token request and authorization request looks its client up; under load that read was a
// large share of the token endpoint's CPU (docs/architecture.md, "The client cache"), for a row
// that changes a few times a year. Entries live for CLIENT_CACHE_TTL_MS. Every change this process makes to a client
// (dashboard, admin, registration, inspector) calls clientsChanged() after its transaction
// commits, which empties the cache: such changes take effect on the next request. A change made
// by another process (the CLI, another instance on PostgreSQL) takes effect within the TTL.
//
// Misses are not cached (an unknown client_id costs a read each time, as before).

import { processWide } from "../../process-wide";

export const CLIENT_CACHE_TTL_MS = 1000;
const MAX_ENTRIES = 10_000;

// Once per process (lib/process-wide.ts says why): a client changed through a server action must
// reach the cache of the lean protocol router, another copy of this module.
const gen = processWide.clientGeneration;

/** Forget every cached client (in every cache of this process). Call after a committed change to any client. */
export function clientsChanged(): void {
  gen.n++;
}

export interface ClientCache<T extends object> {
  /**
   * The cached record for `key`, else load() it; a record loaded while a change committed is
   * returned but not kept (it may predate the change).
   */
  get(key: string, load: () => Promise<T | null>): Promise<T | null>;
}

/** One cache per store (per database): the same client_id in two databases never mixes. */
export function clientCache<T extends object>(now: () => number = Date.now): ClientCache<T> {
  const entries = new Map<string, { at: number; value: T }>();
  let seen = gen.n;
  return {
    async get(key, load) {
      if (seen !== gen.n) {
        entries.clear();
        seen = gen.n;
      }
      const hit = entries.get(key);
      if (hit && now() - hit.at < CLIENT_CACHE_TTL_MS) return hit.value;
      const before = gen.n;
      const at = now();
      const value = await load();
      if (value && before === gen.n) {
        if (entries.size >= MAX_ENTRIES) entries.clear();
        entries.set(key, { at, value: deepFreeze(value) });
      }
      return value;
    },
  };
}

/** Records are shared between requests: nobody may change one in place. */
function deepFreeze<T extends object>(o: T): T {
  for (const v of Object.values(o)) if (v && typeof v === "object" && !Object.isFrozen(v)) deepFreeze(v as object);
  return Object.freeze(o);
}

/** Wraps a transaction that changes clients: once it has ended, every cache forgets them. */
export async function clientChange<T>(transaction: Promise<T>): Promise<T> {
  try {
    return await transaction;
  } finally {
    clientsChanged();
  }
}
