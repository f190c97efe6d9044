// Failed sign-in counters in the database, against real SQLite and real PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ThrottleConfig } from "../config";
import { PROVIDERS, tempDatabase, type TempDatabase } from "@test/db";
import { throttleKeys, throttleStore, type ThrottleKey } from "./throttle";

const cfg: ThrottleConfig = { slowAfter: 3, backoffSeconds: 1, lockAfter: 5, ipLockAfter: 8, lockSeconds: 600, windowSeconds: 900 };

const T0 = new Date("2025-01-01T12:00:00.000Z");
const at = (ms: number) => new Date(T0.getTime() + ms);

describe("throttleKeys", () => {
  it("keys an account by its trimmed, lower-cased email, and an address by its ip", () => {
    expect(throttleKeys(" Ada@Example.COM ", "203.0.113.7")).toStrictEqual([
      { key: "email:ada@example.com", kind: "account" },
      { key: "ip:203.0.113.7", kind: "ip" },
    ]);
    expect(throttleKeys("ada@example.com", null)).toStrictEqual([{ key: "email:ada@example.com", kind: "account" }]);
  });
});

describe.each(PROVIDERS)("throttle store on %s", (provider) => {
  let t: TempDatabase;
  beforeAll(async () => {
    t = await tempDatabase(provider);
  });
  afterAll(async () => {
    await t?.drop();
  });

  const row = (key: string) => t.db.loginThrottle.findUnique({ where: { key } });
  const failures = async (key: string) => (await row(key))?.failures ?? 0;

  it("recordFailure counts one failure against each key, separately per key", async () => {
    const s = throttleStore(t.db, cfg);
    await s.count(throttleKeys("a1@example.com", "198.51.100.1"), T0);
    await s.count(throttleKeys("a1@example.com", "198.51.100.1"), at(10));
    await s.count(throttleKeys("b1@example.com", "198.51.100.1"), at(20));
    expect(await failures("email:a1@example.com")).toBe(2);
    expect(await failures("email:b1@example.com")).toBe(1);
    expect(await failures("ip:198.51.100.1")).toBe(3);
    const a = await row("email:a1@example.com");
    expect(a?.firstFailureAt).toEqual(T0);
    expect(a?.lastFailureAt).toEqual(at(10));
    expect(a?.lockedUntil).toBeNull();
  });

  it("keys are per lower-cased email: different spellings share one counter", async () => {
    const s = throttleStore(t.db, cfg);
    await s.count(throttleKeys("Case@Example.com", null), T0);
    await s.count(throttleKeys("case@EXAMPLE.COM ", null), at(1));
    expect(await failures("email:case@example.com")).toBe(2);
    // One row only: no row under a differently-cased key.
    const all = await t.db.loginThrottle.findMany({ select: { key: true } });
    expect(all.map((r) => r.key).filter((k) => k.toLowerCase().includes("case@example.com"))).toEqual([
      "email:case@example.com",
    ]);
  });

  it("reaching lockAfter sets lockedUntil = now + lockSeconds (not before)", async () => {
    const s = throttleStore(t.db, cfg);
    const keys = throttleKeys("lock@example.com", null);
    for (let i = 0; i < 4; i++) await s.count(keys, at(i));
    expect((await row("email:lock@example.com"))?.lockedUntil).toBeNull();
    await s.count(keys, at(4));
    const r = await row("email:lock@example.com");
    expect(r?.failures).toBe(5);
    expect(r?.lockedUntil).toEqual(at(4 + 600_000));
    expect(await s.check(keys, at(5))).toStrictEqual({ ok: false, reason: "locked", retryAfterSeconds: 600 });
  });

  it("check returns ok for keys with no counter", async () => {
    const s = throttleStore(t.db, cfg);
    expect(await s.check(throttleKeys("nobody@example.com", "192.0.2.200"), T0)).toStrictEqual({ ok: true });
  });

  it("check returns the most restrictive verdict across the email and ip keys", async () => {
    const s = throttleStore(t.db, cfg);
    // The address fails 8 times (ipLockAfter) over 8 different accounts: ip locked, accounts not.
    for (let i = 0; i < 8; i++) await s.count(throttleKeys(`spray${i}@example.com`, "192.0.2.1"), at(i));
    // The account "slow" reaches slowAfter (3) from another address: it must wait 1 s.
    for (let i = 0; i < 3; i++) await s.count(throttleKeys("slow@example.com", "192.0.2.2"), at(i));

    const now = at(100);
    expect(await s.check(throttleKeys("slow@example.com", null), now)).toStrictEqual({
      ok: false,
      reason: "wait",
      retryAfterSeconds: 1,
    });
    // Locked ip beats an account that only has to wait…
    expect(await s.check(throttleKeys("slow@example.com", "192.0.2.1"), now)).toStrictEqual({
      ok: false,
      reason: "locked",
      retryAfterSeconds: 600,
    });
    // …and a clean account does not hide the locked ip.
    expect(await s.check(throttleKeys("fresh@example.com", "192.0.2.1"), now)).toStrictEqual({
      ok: false,
      reason: "locked",
      retryAfterSeconds: 600,
    });
    // A waiting account is not hidden by a clean ip.
    expect(await s.check(throttleKeys("slow@example.com", "192.0.2.99"), now)).toStrictEqual({
      ok: false,
      reason: "wait",
      retryAfterSeconds: 1,
    });
  });

  it("check: a locked account is refused from any address", async () => {
    const s = throttleStore(t.db, cfg);
    for (let i = 0; i < 5; i++) await s.count(throttleKeys("victim@example.com", `192.0.2.${10 + i}`), at(i));
    expect(await s.check(throttleKeys("victim@example.com", "192.0.2.50"), at(1004))).toStrictEqual({
      ok: false,
      reason: "locked",
      retryAfterSeconds: 599,
    });
  });

  it("succeeded clears the account key, and gives the address back only the one attempt", async () => {
    const s = throttleStore(t.db, cfg);
    const keys = throttleKeys("reset@example.com", "192.0.2.30");
    await s.count(keys, T0);
    await s.count(keys, at(1));
    await s.succeeded(keys);
    expect(await row("email:reset@example.com")).toBeNull();
    expect(await failures("ip:192.0.2.30")).toBe(1);
  });

  it("a stale counter (last failure older than the window) restarts at 1", async () => {
    const s = throttleStore(t.db, cfg);
    const keys = throttleKeys("stale@example.com", null);
    await s.count(keys, T0);
    await s.count(keys, at(1000));
    const later = at(1000 + 900_001);
    await s.count(keys, later);
    const r = await row("email:stale@example.com");
    expect(r?.failures).toBe(1);
    expect(r?.firstFailureAt).toEqual(later);
    expect(r?.lastFailureAt).toEqual(later);
  });

  it("a counter exactly at the window edge is not forgotten", async () => {
    const s = throttleStore(t.db, cfg);
    const keys = throttleKeys("edge@example.com", null);
    await s.count(keys, T0);
    await s.count(keys, at(900_000));
    expect(await failures("email:edge@example.com")).toBe(2);
  });

  it("a lock outlives the window: the counter is kept while lockedUntil is ahead", async () => {
    // Lock longer than the window.
    const s = throttleStore(t.db, { ...cfg, windowSeconds: 60, lockSeconds: 600 });
    const keys = throttleKeys("longlock@example.com", null);
    for (let i = 0; i < 5; i++) await s.count(keys, at(i));
    const two = at(120_000); // older than the window, lock still in force
    expect(await s.check(keys, two)).toStrictEqual({ ok: false, reason: "locked", retryAfterSeconds: 481 });
    await s.count(keys, two);
    expect(await failures("email:longlock@example.com")).toBe(6);
  });

  it("count is ok up to the limit; the limit-th attempt locks the key; later ones are refused while it lasts", async () => {
    const s = throttleStore(t.db, cfg);
    const keys = throttleKeys("cf@example.com", null);
    for (let i = 0; i < 5; i++) expect(await s.count(keys, at(i))).toStrictEqual({ ok: true });
    expect((await row("email:cf@example.com"))?.lockedUntil).toEqual(at(4 + 600_000));
    expect(await s.count(keys, at(10))).toStrictEqual({ ok: false, reason: "locked", retryAfterSeconds: 600 });
    expect(await failures("email:cf@example.com")).toBe(6);
  });

  it("after a lock runs out exactly one attempt may go on, and it claims the next lock", async () => {
    const s = throttleStore(t.db, { ...cfg, windowSeconds: 3600 });
    const keys = throttleKeys("after@example.com", null);
    for (let i = 0; i < 5; i++) await s.count(keys, at(i));
    const later = at(700_000); // the lock (600 s from at(4)) is over, the window (1 h) is not
    const results = await Promise.all(Array.from({ length: 6 }, () => s.count(keys, later)));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toHaveLength(5);
    expect((await row("email:after@example.com"))?.lockedUntil).toEqual(at(700_000 + 600_000));
  });

  it("40 parallel counts on one account: exactly lockAfter (5) are let through", async () => {
    const s = throttleStore(t.db, cfg);
    const keys = throttleKeys("par@example.com", null);
    const results = await Promise.all(Array.from({ length: 40 }, () => s.count(keys, T0)));
    expect(results.filter((r) => r.ok)).toHaveLength(5);
    expect(await failures("email:par@example.com")).toBe(40);
  });

  it("isLocked reports a lock in force, and nothing for an unlocked key", async () => {
    const s = throttleStore(t.db, cfg);
    const keys = throttleKeys("il@example.com", null);
    expect(await s.isLocked(keys, T0)).toStrictEqual({ ok: true });
    for (let i = 0; i < 5; i++) await s.count(keys, T0);
    expect(await s.isLocked(keys, at(1000))).toStrictEqual({ ok: false, reason: "locked", retryAfterSeconds: 599 });
    expect(await s.isLocked(keys, at(600_000))).toStrictEqual({ ok: true });
  });

  it("20 concurrent count calls on one key end with failures === 20 (atomic upsert-increment)", async () => {
    const s = throttleStore(t.db, { ...cfg, lockAfter: 1000 });
    const keys: ThrottleKey[] = [{ key: "email:race@example.com", kind: "account" }];
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => s.count(keys, T0)));
    expect(results.filter((r) => r.status === "rejected")).toEqual([]);
    expect(await failures("email:race@example.com")).toBe(20);
  });
});
