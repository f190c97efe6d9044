// Sign-in throttling policy (pure): explicit clocks, an explicit config, exact verdicts.
import { describe, expect, it } from "vitest";
import type { ThrottleConfig } from "../config";
import {
  backoffSeconds,
  isStale,
  lockAfterFailure,
  verdict,
  type ThrottleState,
} from "./throttle-policy";

const cfg: ThrottleConfig = {
  slowAfter: 3,
  backoffSeconds: 1,
  lockAfter: 10,
  ipLockAfter: 50,
  lockSeconds: 900,
  windowSeconds: 900,
};

const T0 = new Date("2025-01-01T12:00:00.000Z");
const at = (ms: number) => new Date(T0.getTime() + ms);

function state(failures: number, lastFailureAt = T0, lockedUntil: Date | null = null): ThrottleState {
  return { failures, firstFailureAt: new Date(lastFailureAt.getTime() - 1000), lastFailureAt, lockedUntil };
}

describe("backoffSeconds", () => {
  it("no delay before slowAfter failures", () => {
    expect([0, 1, 2].map((n) => backoffSeconds(n, cfg))).toEqual([0, 0, 0]);
  });

  it("doubles from 1 s once slowAfter failures are reached: 1, 2, 4, 8, 16 …", () => {
    expect([3, 4, 5, 6, 7].map((n) => backoffSeconds(n, cfg))).toEqual([1, 2, 4, 8, 16]);
  });

  it("is capped at lockSeconds", () => {
    // 2^(13-3) = 1024 > 900
    expect(backoffSeconds(12, cfg)).toBe(512);
    expect(backoffSeconds(13, cfg)).toBe(900);
    expect(backoffSeconds(40, cfg)).toBe(900);
    const small: ThrottleConfig = { ...cfg, lockSeconds: 5 };
    expect([3, 4, 5, 6].map((n) => backoffSeconds(n, small))).toEqual([1, 2, 4, 5]);
  });
});

describe("verdict", () => {
  it("no counter: ok", () => {
    expect(verdict(null, "account", T0, cfg)).toStrictEqual({ ok: true });
    expect(verdict(null, "ip", T0, cfg)).toStrictEqual({ ok: true });
  });

  it("below slowAfter an immediate retry is ok", () => {
    expect(verdict(state(2), "account", T0, cfg)).toStrictEqual({ ok: true });
  });

  it("at slowAfter failures an immediate retry must wait 1 s, and is ok once it has passed", () => {
    expect(verdict(state(3), "account", T0, cfg)).toStrictEqual({ ok: false, reason: "wait", retryAfterSeconds: 1 });
    expect(verdict(state(3), "account", at(999), cfg)).toStrictEqual({ ok: false, reason: "wait", retryAfterSeconds: 1 });
    expect(verdict(state(3), "account", at(1000), cfg)).toStrictEqual({ ok: true });
  });

  it("wait reports the remaining seconds rounded up", () => {
    // 5 failures: 4 s after the last one.
    expect(verdict(state(5), "account", at(500), cfg)).toStrictEqual({ ok: false, reason: "wait", retryAfterSeconds: 4 });
    expect(verdict(state(5), "account", at(1001), cfg)).toStrictEqual({ ok: false, reason: "wait", retryAfterSeconds: 3 });
    expect(verdict(state(5), "account", at(3999), cfg)).toStrictEqual({ ok: false, reason: "wait", retryAfterSeconds: 1 });
    expect(verdict(state(5), "account", at(4000), cfg)).toStrictEqual({ ok: true });
  });

  it("the ip kind never gets the backoff, however many failures", () => {
    expect(verdict(state(3), "ip", T0, cfg)).toStrictEqual({ ok: true });
    expect(verdict(state(49), "ip", T0, cfg)).toStrictEqual({ ok: true });
    // Same state for an account does wait: the difference is the kind alone.
    expect(verdict(state(49), "account", T0, cfg)).toStrictEqual({ ok: false, reason: "wait", retryAfterSeconds: 900 });
  });

  it("a lock in force wins for both kinds, with the exact seconds left (rounded up, at least 1)", () => {
    const lockedUntil = at(600_000);
    for (const kind of ["account", "ip"] as const) {
      expect(verdict(state(10, T0, lockedUntil), kind, T0, cfg)).toStrictEqual({
        ok: false,
        reason: "locked",
        retryAfterSeconds: 600,
      });
      expect(verdict(state(10, T0, lockedUntil), kind, at(598_500), cfg)).toStrictEqual({
        ok: false,
        reason: "locked",
        retryAfterSeconds: 2,
      });
      expect(verdict(state(10, T0, lockedUntil), kind, at(599_999), cfg)).toStrictEqual({
        ok: false,
        reason: "locked",
        retryAfterSeconds: 1,
      });
    }
  });

  it("an expired lock no longer refuses (at lockedUntil exactly)", () => {
    // 1 failure, so no backoff either: only the lock could refuse.
    const s = state(1, T0, at(60_000));
    expect(verdict(s, "ip", at(60_000), cfg)).toStrictEqual({ ok: true });
  });

  it("stale counters (last failure older than the window, not locked) are forgotten", () => {
    // A backoff longer than the window makes forgetting observable in the verdict.
    const shortWindow: ThrottleConfig = { ...cfg, windowSeconds: 60 };
    const s = state(13); // backoff 900 s
    expect(isStale(s, at(60_000), shortWindow)).toBe(false);
    expect(verdict(s, "account", at(60_000), shortWindow)).toStrictEqual({
      ok: false,
      reason: "wait",
      retryAfterSeconds: 840,
    });
    expect(isStale(s, at(60_001), shortWindow)).toBe(true);
    expect(verdict(s, "account", at(60_001), shortWindow)).toStrictEqual({ ok: true });
  });

  it("a lock outlives the window until lockedUntil", () => {
    const shortWindow: ThrottleConfig = { ...cfg, windowSeconds: 60 };
    const s = state(10, T0, at(900_000));
    // Two minutes later: older than the 60 s window, but still locked.
    expect(isStale(s, at(120_000), shortWindow)).toBe(false);
    expect(verdict(s, "account", at(120_000), shortWindow)).toStrictEqual({
      ok: false,
      reason: "locked",
      retryAfterSeconds: 780,
    });
    // Once the lock has run out the old counter is stale and forgotten (no backoff either).
    expect(isStale(s, at(900_000), shortWindow)).toBe(true);
    expect(verdict(s, "account", at(900_000), shortWindow)).toStrictEqual({ ok: true });
  });
});

describe("lockAfterFailure", () => {
  it("locks an account once lockAfter failures are reached, for lockSeconds", () => {
    expect(lockAfterFailure(9, "account", T0, cfg)).toBeNull();
    expect(lockAfterFailure(10, "account", T0, cfg)).toEqual(at(900_000));
    expect(lockAfterFailure(11, "account", T0, cfg)).toEqual(at(900_000));
  });

  it("locks an ip address only at ipLockAfter, not at the account limit", () => {
    expect(lockAfterFailure(10, "ip", T0, cfg)).toBeNull();
    expect(lockAfterFailure(49, "ip", T0, cfg)).toBeNull();
    expect(lockAfterFailure(50, "ip", T0, cfg)).toEqual(at(900_000));
  });
});

describe("LOGIN_BACKOFF_SECONDS scales the delays", () => {
  it("with a 4 s base the delays are 4 s, 8 s, 16 s", () => {
    const slow = { ...cfg, backoffSeconds: 4 };
    expect([3, 4, 5].map((f) => backoffSeconds(f, slow))).toEqual([4, 8, 16]);
    expect(backoffSeconds(2, slow)).toBe(0);
  });
});
