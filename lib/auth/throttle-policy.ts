// Sign-in throttling policy, pure: given the stored counter of one key and the clock, may an
// attempt proceed, and what does a failure do to the counter. Storage is in lib/db/throttle.ts.
import type { ThrottleConfig } from "../config";

export interface ThrottleState {
  failures: number;
  firstFailureAt: Date;
  lastFailureAt: Date;
  lockedUntil: Date | null;
}

export type ThrottleKind = "account" | "ip";

export type ThrottleVerdict =
  | { ok: true }
  | { ok: false; reason: "locked" | "wait"; retryAfterSeconds: number };

/** A counter whose last failure is older than the window, and not locked, is forgotten. */
export function isStale(state: ThrottleState, now: Date, cfg: ThrottleConfig): boolean {
  const locked = state.lockedUntil !== null && state.lockedUntil > now;
  return !locked && now.getTime() - state.lastFailureAt.getTime() > cfg.windowSeconds * 1000;
}

/** Delay an account must wait after its last failure: none up to `slowAfter`, then b, 2b, 4b… (b = backoffSeconds). */
export function backoffSeconds(failures: number, cfg: ThrottleConfig): number {
  if (failures < cfg.slowAfter) return 0;
  return Math.min(cfg.backoffSeconds * 2 ** (failures - cfg.slowAfter), cfg.lockSeconds);
}

export function verdict(
  state: ThrottleState | null,
  kind: ThrottleKind,
  now: Date,
  cfg: ThrottleConfig,
): ThrottleVerdict {
  if (!state || isStale(state, now, cfg)) return { ok: true };
  const seconds = (until: number) => Math.max(1, Math.ceil((until - now.getTime()) / 1000));
  if (state.lockedUntil && state.lockedUntil > now) {
    return { ok: false, reason: "locked", retryAfterSeconds: seconds(state.lockedUntil.getTime()) };
  }
  if (kind === "account") {
    const next = state.lastFailureAt.getTime() + backoffSeconds(state.failures, cfg) * 1000;
    if (next > now.getTime()) return { ok: false, reason: "wait", retryAfterSeconds: seconds(next) };
  }
  return { ok: true };
}

/** The lock a key earns once its failure count reaches the limit for its kind, if any. */
export function lockAfterFailure(failures: number, kind: ThrottleKind, now: Date, cfg: ThrottleConfig): Date | null {
  const limit = kind === "account" ? cfg.lockAfter : cfg.ipLockAfter;
  return failures >= limit ? new Date(now.getTime() + cfg.lockSeconds * 1000) : null;
}
