// Removing rows nothing needs any more. Anonymous callers and every flow write rows at request
// rate (parked authorization requests, codes, tokens, throttle rows, audit events); without this
// they stay forever. Each instance runs purgeExpired() on its own jittered schedule
// (scheduleEvery, started by scripts/start.ts). Every delete is idempotent and bounded: select
// up to a batch of keys, then delete those keys *that still match the condition*, so two
// instances purging at once only do the work twice, a long backlog never holds the write lock
// for long, and a row that changed in between (a throttle row's new failure) is kept.
import type { Db } from "./client";
import { OPEN_REGISTRATION } from "./registration";
import { METADATA_DOCUMENT } from "./protocol/document-clients";
import { builtMetrics } from "../ops/metrics";
import { logError } from "../log/logger";

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export interface PurgePolicy {
  now: Date;
  /** Audit events older than this many days go; 0 keeps them forever. */
  auditRetentionDays: number;
  /** LOGIN_WINDOW_SECONDS: a throttle row whose last failure is older than this counts for nothing. */
  throttleWindowSeconds: number;
  /**
   * OPEN_REGISTRATION_UNUSED_TTL_SECONDS: clients that registered themselves (open registration,
   * client ID metadata documents) and were never used go this long after creation; null = never.
   */
  unusedClientTtlSeconds?: number | null;
  /** Keys per DELETE statement (default 500). */
  batchSize?: number;
  /** Batches per table and run (the rest waits for the next run). */
  maxBatches?: number;
}

export const PURGED_TABLES = [
  "authorizationRequests",
  "authorizationCodes",
  "accessTokens",
  "refreshTokens",
  "idleRefreshFamilies",
  "portalSessions",
  "trustedDevices",
  "emailTokens",
  "loginThrottles",
  "rateCounters",
  "initialAccessTokens",
  "unusedClients",
  "auditEvents",
] as const;
export type PurgedTable = (typeof PURGED_TABLES)[number];
export type PurgeCounts = Record<PurgedTable, number>;

/** Selects up to `take` keys matching the condition, and deletes those keys if they still match. */
export interface PurgeTarget {
  keys(take: number): Promise<string[]>;
  remove(keys: string[]): Promise<number>;
}

/** Each table's condition (exported for the tests, which interleave a change between the two steps). */
export function purgeTargets(db: Db, p: PurgePolicy): Record<PurgedTable, PurgeTarget | null> {
  const now = p.now;
  const ago = (ms: number) => new Date(now.getTime() - ms);

  // Parked requests live 10 minutes; an expired one can only be refused, and "not found"
  // says the same to the user as "expired".
  const requestWhere = { expiresAt: { lt: now } };
  // Codes live 60 s, but a code presented again must still be recognised as a replay (RFC 6749
  // §4.1.2: revoke the tokens issued from it): kept for a day after they expire.
  const codeWhere = { expiresAt: { lt: ago(DAY_MS) } };
  // Access tokens: introspection and revocation treat expired ones as inactive anyway; kept a
  // day past expiry so that the admin console's "issued in the last 24 h" (by createdAt, and
  // createdAt <= expiresAt) stays exact.
  const accessWhere = { expiresAt: { lt: ago(DAY_MS) } };
  // Refresh tokens: a family's rotated tokens must stay until the family itself has expired,
  // so that presenting one still revokes the family (RFC 9700 §4.14.2); every token of a
  // family carries the family's absolute expiry.
  const refreshWhere = { absoluteExpiresAt: { lt: now } };
  // A family whose newest token (the one not rotated) passed its idle expiry can never be
  // refreshed again, and every access token issued from it expired long before: nothing is
  // left for replay detection to revoke. It goes a day after, token by token of the family,
  // long before its absolute expiry (90 days by default; idle is 14).
  const idleHeadWhere = { rotatedAt: null, expiresAt: { lt: ago(DAY_MS) } };
  // Portal sessions: expired, or revoked more than a day ago (the sessions pages list live ones).
  const sessionWhere = { OR: [{ expiresAt: { lt: now } }, { revokedAt: { lt: ago(DAY_MS) } }] };
  // Trusted devices (lib/db/devices.ts): an expired or revoked device cookie counts as none.
  const deviceWhere = { OR: [{ expiresAt: { lt: now } }, { revokedAt: { lt: ago(DAY_MS) } }] };
  // Emailed links (lib/db/email-tokens.ts): an expired link can only be refused ("expired or
  // used" looks the same to its user), used ones expire too.
  const emailTokenWhere = { expiresAt: { lt: now } };
  // Throttle rows: no failure within the window (they count for nothing) and not locked.
  const throttleWhere = {
    lastFailureAt: { lt: ago(p.throttleWindowSeconds * 1000) },
    OR: [{ lockedUntil: null }, { lockedUntil: { lt: now } }],
  };
  // Rate-limit counters (lib/ratelimit): a counter of a window that has ended decides nothing.
  const rateWhere = { expiresAt: { lt: now } };
  // Initial access tokens: an admin's list shows expired ones for 30 days, then they go.
  const iatWhere = { expiresAt: { lt: ago(30 * DAY_MS) } };
  const auditWhere = { createdAt: { lt: ago(p.auditRetentionDays * DAY_MS) } };
  // Clients anyone can create (open registration, client ID metadata documents) that nobody ever
  // used: no request waiting, no consent (a code needs one first), code or token. Not one an
  // admin suspended or verified (that decision must stick). A metadata-document client comes
  // back by itself on its next authorization request.
  const unusedClientWhere = {
    registeredVia: { in: [OPEN_REGISTRATION, METADATA_DOCUMENT] },
    createdAt: { lt: ago((p.unusedClientTtlSeconds ?? 0) * 1000) },
    suspended: false,
    verified: false,
    requests: { none: {} },
    consents: { none: {} },
    codes: { none: {} },
    refreshTokens: { none: {} },
    accessTokens: { none: {} },
  };

  return {
    authorizationRequests: {
      keys: async (take) => (await db.authorizationRequest.findMany({ where: requestWhere, select: { id: true }, take })).map((r) => r.id),
      remove: async (ids) => (await db.authorizationRequest.deleteMany({ where: { id: { in: ids }, ...requestWhere } })).count,
    },
    authorizationCodes: {
      keys: async (take) => (await db.authorizationCode.findMany({ where: codeWhere, select: { id: true }, take })).map((r) => r.id),
      remove: async (ids) => (await db.authorizationCode.deleteMany({ where: { id: { in: ids }, ...codeWhere } })).count,
    },
    accessTokens: {
      keys: async (take) => (await db.accessToken.findMany({ where: accessWhere, select: { jti: true }, take })).map((r) => r.jti),
      remove: async (ids) => (await db.accessToken.deleteMany({ where: { jti: { in: ids }, ...accessWhere } })).count,
    },
    refreshTokens: {
      keys: async (take) => (await db.refreshToken.findMany({ where: refreshWhere, select: { id: true }, take })).map((r) => r.id),
      remove: async (ids) => (await db.refreshToken.deleteMany({ where: { id: { in: ids }, ...refreshWhere } })).count,
    },
    idleRefreshFamilies: {
      keys: async (take) =>
        [...new Set((await db.refreshToken.findMany({ where: idleHeadWhere, select: { grantId: true }, take })).map((r) => r.grantId))],
      // A dead head cannot come back (only a live head rotates), so the family stays dead.
      remove: async (grantIds) => (await db.refreshToken.deleteMany({ where: { grantId: { in: grantIds } } })).count,
    },
    portalSessions: {
      keys: async (take) => (await db.portalSession.findMany({ where: sessionWhere, select: { id: true }, take })).map((r) => r.id),
      remove: async (ids) => (await db.portalSession.deleteMany({ where: { id: { in: ids }, ...sessionWhere } })).count,
    },
    trustedDevices: {
      keys: async (take) => (await db.trustedDevice.findMany({ where: deviceWhere, select: { id: true }, take })).map((r) => r.id),
      remove: async (ids) => (await db.trustedDevice.deleteMany({ where: { id: { in: ids }, ...deviceWhere } })).count,
    },
    emailTokens: {
      keys: async (take) => (await db.emailToken.findMany({ where: emailTokenWhere, select: { id: true }, take })).map((r) => r.id),
      remove: async (ids) => (await db.emailToken.deleteMany({ where: { id: { in: ids }, ...emailTokenWhere } })).count,
    },
    loginThrottles: {
      keys: async (take) => (await db.loginThrottle.findMany({ where: throttleWhere, select: { key: true }, take })).map((r) => r.key),
      remove: async (keys) => (await db.loginThrottle.deleteMany({ where: { key: { in: keys }, ...throttleWhere } })).count,
    },
    rateCounters: {
      keys: async (take) => (await db.rateCounter.findMany({ where: rateWhere, select: { key: true }, take })).map((r) => r.key),
      remove: async (keys) => (await db.rateCounter.deleteMany({ where: { key: { in: keys }, ...rateWhere } })).count,
    },
    initialAccessTokens: {
      keys: async (take) => (await db.initialAccessToken.findMany({ where: iatWhere, select: { id: true }, take })).map((r) => r.id),
      remove: async (ids) => (await db.initialAccessToken.deleteMany({ where: { id: { in: ids }, ...iatWhere } })).count,
    },
    unusedClients: p.unusedClientTtlSeconds
      ? {
          keys: async (take) => (await db.client.findMany({ where: unusedClientWhere, select: { id: true }, take })).map((r) => r.id),
          remove: async (ids) => (await db.client.deleteMany({ where: { id: { in: ids }, ...unusedClientWhere } })).count,
        }
      : null,
    auditEvents:
      p.auditRetentionDays > 0
        ? {
            keys: async (take) => (await db.auditEvent.findMany({ where: auditWhere, select: { id: true }, take })).map((r) => r.id),
            remove: async (ids) => (await db.auditEvent.deleteMany({ where: { id: { in: ids }, ...auditWhere } })).count,
          }
        : null,
  };
}

/** One pass over every table: how many rows of each went. */
async function purgeTables(db: Db, policy: PurgePolicy): Promise<PurgeCounts> {
  // Prisma's SQLite adapter binds at most 999 values a statement: the keys plus the condition's.
  const batch = policy.batchSize ?? 500;
  const maxBatches = policy.maxBatches ?? 100;
  const counts = Object.fromEntries(PURGED_TABLES.map((t) => [t, 0])) as PurgeCounts;
  const all = purgeTargets(db, policy);
  for (const table of PURGED_TABLES) {
    const target = all[table];
    if (!target) continue;
    for (let i = 0; i < maxBatches; i++) {
      const keys = await target.keys(batch);
      if (keys.length === 0) break;
      counts[table] += await target.remove(keys);
      if (keys.length < batch) break;
    }
  }
  return counts;
}

export function purgeStore(db: Db) {
  return {
    /** Deletes what has expired; returns how many rows of each table went (and counts them in the metrics). */
    async purgeExpired(policy: PurgePolicy): Promise<PurgeCounts> {
      const m = builtMetrics();
      try {
        const counts = await purgeTables(db, policy);
        m?.purgeRuns.inc({ result: "ok" });
        for (const table of PURGED_TABLES) if (counts[table] > 0) m?.purgedRows.inc({ table }, counts[table]);
        return counts;
      } catch (err) {
        m?.purgeRuns.inc({ result: "failed" });
        throw err;
      }
    },
  };
}

/**
 * Runs `task` about every `intervalMs`: the first run after a random part of one interval, each
 * next one after the interval ±20%, so that instances started together do not purge in step.
 * A run never overlaps the previous one. Returns a stop function. Timers do not keep the
 * process alive.
 */
export function scheduleEvery(task: () => Promise<void>, intervalMs: number, random: () => number = Math.random): () => void {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const next = (delay: number) => {
    if (stopped) return;
    timer = setTimeout(async () => {
      try {
        await task();
      } catch (err) {
        logError("A scheduled task failed", err);
      } finally {
        next(intervalMs * (0.8 + 0.4 * random()));
      }
    }, delay);
    timer.unref();
  };
  next(intervalMs * random());
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}
