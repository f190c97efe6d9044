// Failed sign-in counters in the database (so that they hold across instances).
import type { Db } from "./client";
import type { ThrottleConfig } from "../config";
import { lockAfterFailure, verdict, type ThrottleKind, type ThrottleVerdict } from "../auth/throttle-policy";

export interface ThrottleKey {
  key: string;
  kind: ThrottleKind;
}

export function throttleKeys(email: string, ip: string | null): ThrottleKey[] {
  const keys: ThrottleKey[] = [{ key: `email:${email.trim().toLowerCase()}`, kind: "account" }];
  if (ip) keys.push({ key: `ip:${ip}`, kind: "ip" });
  return keys;
}

export function throttleStore(db: Db, cfg: ThrottleConfig) {
  return {
    /** The most restrictive verdict over all keys. */
    async check(keys: ThrottleKey[], now = new Date()): Promise<ThrottleVerdict> {
      const rows = await db.loginThrottle.findMany({ where: { key: { in: keys.map((k) => k.key) } } });
      let worst: ThrottleVerdict = { ok: true };
      for (const k of keys) {
        const v = verdict(rows.find((r) => r.key === k.key) ?? null, k.kind, now, cfg);
        if (!v.ok && (worst.ok || v.retryAfterSeconds > worst.retryAfterSeconds)) worst = v;
      }
      return worst;
    },

    /** Counts one failure against every key; atomic per key (an upsert with increment). */
    async recordFailure(keys: ThrottleKey[], now = new Date()): Promise<void> {
      const windowStart = new Date(now.getTime() - cfg.windowSeconds * 1000);
      for (const k of keys) {
        // Forget an old, unlocked counter first, so that the window restarts.
        await db.loginThrottle.deleteMany({
          where: {
            key: k.key,
            lastFailureAt: { lt: windowStart },
            OR: [{ lockedUntil: null }, { lockedUntil: { lte: now } }],
          },
        });
        const row = await db.loginThrottle.upsert({
          where: { key: k.key },
          create: { key: k.key, failures: 1, firstFailureAt: now, lastFailureAt: now },
          update: { failures: { increment: 1 }, lastFailureAt: now },
        });
        const lockedUntil = lockAfterFailure(row.failures, k.kind, now, cfg);
        if (lockedUntil) await db.loginThrottle.update({ where: { key: k.key }, data: { lockedUntil } });
      }
    },

    /** A successful sign-in clears the account's counter (not the address's). */
    async reset(keys: ThrottleKey[]): Promise<void> {
      const account = keys.filter((k) => k.kind === "account").map((k) => k.key);
      await db.loginThrottle.deleteMany({ where: { key: { in: account } } });
    },
  };
}
