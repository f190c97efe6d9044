// Failed sign-in counters in the database (so that they hold across instances).
//
// Count first, then check (OWASP Authentication Cheat Sheet, "Protect Against Automated
// Attacks"; DESIGN.md): every attempt is counted with one atomic statement per key (an upsert
// with increment) BEFORE the password is verified, and the count that statement returns decides
// whether the attempt may go on. So N parallel guesses cost N attempts, and at most the policy's
// number of them (`lockAfter` per account, `ipLockAfter` per address) are ever verified within a
// window, however they are interleaved. A successful sign-in clears the account's counter and
// gives the address its attempt back.
import type { Db, Tx } from "./client";
import { audit } from "./audit";
import type { ThrottleConfig } from "../config";
import { verdict, type ThrottleKind, type ThrottleVerdict } from "../auth/throttle-policy";

export interface ThrottleKey {
  key: string;
  kind: ThrottleKind;
}

/** The counters of an attempt from a browser that has not signed in to this account before. */
export function throttleKeys(email: string, ip: string | null): ThrottleKey[] {
  const keys: ThrottleKey[] = [{ key: `email:${email.trim().toLowerCase()}`, kind: "account" }];
  if (ip) keys.push({ key: `ip:${ip}`, kind: "ip" });
  return keys;
}

/**
 * The counter of an attempt that carries a valid device cookie for the account
 * (lib/auth/device-cookie.ts): that device's own, with the account policy.
 */
export function deviceThrottleKeys(deviceId: string): ThrottleKey[] {
  return [{ key: `device:${deviceId}`, kind: "account" }];
}

/** The counter of second-factor codes (TOTP, recovery) per account, with the account policy. */
export function mfaThrottleKey(userId: string): ThrottleKey {
  return { key: `mfa:${userId}`, kind: "account" };
}

/** Seconds from `now` until `until` (ms), rounded up, at least 1: a Retry-After value. */
const secondsUntil = (until: number, now: Date) => Math.max(1, Math.ceil((until - now.getTime()) / 1000));

/** The more restrictive of two verdicts (the longer wait wins). */
function worse(a: ThrottleVerdict, b: ThrottleVerdict): ThrottleVerdict {
  return !b.ok && (a.ok || b.retryAfterSeconds > a.retryAfterSeconds) ? b : a;
}

export function throttleStore(db: Db, cfg: ThrottleConfig) {
  const limit = (kind: ThrottleKind) => (kind === "account" ? cfg.lockAfter : cfg.ipLockAfter);
  const lockUntil = (now: Date) => new Date(now.getTime() + cfg.lockSeconds * 1000);

  /** Counts one attempt against one key; ok unless this attempt is over the key's limit. */
  async function countOne(k: ThrottleKey, now: Date): Promise<ThrottleVerdict> {
    const windowStart = new Date(now.getTime() - cfg.windowSeconds * 1000);
    // Forget an old, unlocked counter first, so that the window restarts. (Idempotent: two
    // attempts racing here delete the same stale row, or nothing.)
    await db.loginThrottle.deleteMany({
      where: {
        key: k.key,
        lastFailureAt: { lt: windowStart },
        OR: [{ lockedUntil: null }, { lockedUntil: { lte: now } }],
      },
    });
    // The one atomic step: the returned count is this attempt's own number.
    const row = await db.loginThrottle.upsert({
      where: { key: k.key },
      create: { key: k.key, failures: 1, firstFailureAt: now, lastFailureAt: now },
      update: { failures: { increment: 1 }, lastFailureAt: now },
    });
    const max = limit(k.kind);
    if (row.failures < max) return { ok: true };
    if (row.failures === max) {
      // The last attempt the window allows (exactly one attempt gets this number): it goes on,
      // and the key is locked from now on whatever it turns out to be.
      await db.loginThrottle.update({ where: { key: k.key }, data: { lockedUntil: lockUntil(now) } });
      return { ok: true };
    }
    // Over the limit. Once a lock has run out, one attempt per lock period may go on: the one
    // that claims the next lock (a conditional update, so parallel attempts cannot all claim it).
    // No lock yet means the attempt that reached the limit has not written it: refused too.
    const claimed = await db.loginThrottle.updateMany({
      where: { key: k.key, lockedUntil: { lte: now } },
      data: { lockedUntil: lockUntil(now) },
    });
    if (claimed.count === 1) return { ok: true };
    const current = await db.loginThrottle.findUnique({ where: { key: k.key } });
    const until = current?.lockedUntil?.getTime() ?? lockUntil(now).getTime();
    return { ok: false, reason: "locked", retryAfterSeconds: secondsUntil(until, now) };
  }

  return {
    /**
     * The most restrictive verdict over all keys, read only: refuses early (a lock, or the
     * doubling delay after `slowAfter` failures) without counting. The delay is a courtesy
     * check (parallel attempts can pass it together); `count` is what bounds guessing.
     */
    async check(keys: ThrottleKey[], now = new Date()): Promise<ThrottleVerdict> {
      const rows = await db.loginThrottle.findMany({ where: { key: { in: keys.map((k) => k.key) } } });
      let worst: ThrottleVerdict = { ok: true };
      for (const k of keys) worst = worse(worst, verdict(rows.find((r) => r.key === k.key) ?? null, k.kind, now, cfg));
      return worst;
    },

    /**
     * Counts one attempt against every key, atomically per key, before the password is checked.
     * Refused ("locked") when any key is over its limit; then the password must not be checked.
     */
    async count(keys: ThrottleKey[], now = new Date()): Promise<ThrottleVerdict> {
      let worst: ThrottleVerdict = { ok: true };
      for (const k of keys) worst = worse(worst, await countOne(k, now));
      return worst;
    },

    /** Whether a key is locked now (after a failed attempt: to say "locked" instead of "invalid"). */
    async isLocked(keys: ThrottleKey[], now = new Date()): Promise<ThrottleVerdict> {
      const rows = await db.loginThrottle.findMany({
        where: { key: { in: keys.map((k) => k.key) }, lockedUntil: { gt: now } },
      });
      if (rows.length === 0) return { ok: true };
      const until = Math.max(...rows.map((r) => r.lockedUntil!.getTime()));
      return { ok: false, reason: "locked", retryAfterSeconds: secondsUntil(until, now) };
    },

    /**
     * After a successful sign-in: clears the account's counter, and gives the address the attempt
     * back (a decrement, never below zero), so that many people signing in from one address
     * (an office behind NAT) do not lock it.
     */
    async succeeded(keys: ThrottleKey[]): Promise<void> {
      const account = keys.filter((k) => k.kind === "account").map((k) => k.key);
      if (account.length) await db.loginThrottle.deleteMany({ where: { key: { in: account } } });
      for (const k of keys.filter((k) => k.kind === "ip")) {
        await db.loginThrottle.updateMany({ where: { key: k.key, failures: { gt: 0 } }, data: { failures: { decrement: 1 } } });
        // If this very attempt was the one that reached the limit, its lock goes with it.
        await db.loginThrottle.updateMany({
          where: { key: k.key, failures: { lt: cfg.ipLockAfter }, lockedUntil: { not: null } },
          data: { lockedUntil: null },
        });
      }
    },
  };
}

/** Every counter that can keep this user out: new devices, each trusted device, password re-entry. */
export async function userKeys(tx: Tx, user: { id: string; email: string }): Promise<string[]> {
  const devices = await tx.trustedDevice.findMany({ where: { userId: user.id }, select: { id: true } });
  return [`email:${user.email}`, `password-change:${user.id}`, mfaThrottleKey(user.id).key, ...devices.map((d) => `device:${d.id}`)];
}

export interface SignInLockStatus {
  /** The latest lock in force on any of the user's counters, or null. */
  lockedUntil: Date | null;
  /** Failed attempts still counted against the user (all counters). */
  failures: number;
}

export async function signInLockStatus(tx: Tx, user: { id: string; email: string }, now = new Date()): Promise<SignInLockStatus> {
  const rows = await tx.loginThrottle.findMany({ where: { key: { in: await userKeys(tx, user) } } });
  const locks = rows.map((r) => r.lockedUntil).filter((d): d is Date => d !== null && d > now);
  return {
    lockedUntil: locks.length ? new Date(Math.max(...locks.map((d) => d.getTime()))) : null,
    failures: rows.reduce((n, r) => n + r.failures, 0),
  };
}

/**
 * Clears every counter of the user (the admin console's "Unlock sign-in" and the CLI's
 * `user unlock`), with its `user.unlocked` audit event, in the caller's transaction. The
 * per-address counters are left alone: they are not the user's. Returns how many were cleared.
 */
export async function unlockSignIn(
  tx: Tx,
  user: { id: string; email: string },
  actor: { id: string | null; ip?: string | null },
): Promise<number> {
  const r = await tx.loginThrottle.deleteMany({ where: { key: { in: await userKeys(tx, user) } } });
  await audit(tx, { type: "user.unlocked", actorId: actor.id, subjectId: user.id, ip: actor.ip, data: { counters: r.count } });
  return r.count;
}

export interface SignUpLimitConfig {
  /** Accounts that may be created from one address per window. */
  perIp: number;
  windowSeconds: number;
}

/**
 * One fixed window per key, counted first with one upsert-increment (like sign-in attempts), so
 * parallel requests cannot outrun it. ok while the count is within `limit`.
 */
async function countInWindow(db: Db, key: string, limit: number, windowSeconds: number, now: Date): Promise<{ ok: true } | { ok: false; retryAfterSeconds: number }> {
  const windowStart = new Date(now.getTime() - windowSeconds * 1000);
  await db.loginThrottle.deleteMany({ where: { key, firstFailureAt: { lte: windowStart } } });
  const row = await db.loginThrottle.upsert({
    where: { key },
    // lockedUntil marks the window's end, so that a purge of stale sign-in counters (older
    // than LOGIN_WINDOW_SECONDS and not locked) keeps this longer window whole.
    create: { key, failures: 1, firstFailureAt: now, lastFailureAt: now, lockedUntil: new Date(now.getTime() + windowSeconds * 1000) },
    update: { failures: { increment: 1 }, lastFailureAt: now },
  });
  if (row.failures <= limit) return { ok: true };
  const ends = row.firstFailureAt.getTime() + windowSeconds * 1000;
  return { ok: false, retryAfterSeconds: secondsUntil(ends, now) };
}

/** Sign-ups per address: a fixed window per address (key `signup:<ip>`). */
export function signUpLimitStore(db: Db, cfg: SignUpLimitConfig) {
  return {
    async count(ip: string | null, now = new Date()): Promise<{ ok: true } | { ok: false; retryAfterSeconds: number }> {
      if (!ip) return { ok: true };
      return countInWindow(db, `signup:${ip}`, cfg.perIp, cfg.windowSeconds, now);
    },
  };
}

export interface EmailLinkLimitConfig {
  perAddressPerHour: number;
  perIpPerHour: number;
}

/**
 * Emailed links anyone may ask for (forgot password, a new verification link): per caller
 * address, per email address typed, and per account, an hour each. The caller's address is
 * counted first and, once over, nothing else is counted: so an anonymous caller cannot grow the
 * table with one row per address it makes up faster than its own limit allows (and the purge
 * removes the rows after the hour).
 */
export function emailLinkLimitStore(db: Db, cfg: EmailLinkLimitConfig) {
  const HOUR = 3600;
  return {
    async count(k: { ip: string | null; email: string; userId?: string | null }, now = new Date()): Promise<{ ok: true } | { ok: false; limit: "ip" | "address" | "account" }> {
      if (k.ip && !(await countInWindow(db, `link-ip:${k.ip}`, cfg.perIpPerHour, HOUR, now)).ok) return { ok: false, limit: "ip" };
      if (!(await countInWindow(db, `link-email:${k.email.trim().toLowerCase()}`, cfg.perAddressPerHour, HOUR, now)).ok) return { ok: false, limit: "address" };
      if (k.userId && !(await countInWindow(db, `link-user:${k.userId}`, cfg.perAddressPerHour, HOUR, now)).ok) return { ok: false, limit: "account" };
      return { ok: true };
    },
  };
}
