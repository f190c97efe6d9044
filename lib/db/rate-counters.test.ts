// The rate limiter's shared counters in the database, on SQLite and PostgreSQL: the
// upsert-increment is atomic (parallel adds from two "servers" lose nothing), reads of absent
// keys are 0, and two limiters on one database share one limit.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROVIDERS, tempDatabase, type TempDatabase } from "@test/db";
import { createDb, type Db } from "./client";
import { rateCounterStore } from "./rate-counters";
import { RateLimiter } from "../ratelimit/limiter";

const MIN = 60_000;

describe.each(PROVIDERS)("rate counters on %s", (provider) => {
  let t: TempDatabase;
  let other: Db; // a second connection, as a second instance has
  beforeAll(async () => {
    t = await tempDatabase(provider);
    other = createDb(t.url);
    t.onDrop(() => other.$disconnect());
  });
  afterAll(async () => {
    await t?.drop();
  });

  it("adds deltas atomically and returns each key's total; a read of an absent key is 0", async () => {
    const a = rateCounterStore(t.db);
    const b = rateCounterStore(other);
    const exp = Date.now() + MIN;
    expect(await a.add([{ key: "k1@0", delta: 3, expiresAt: exp }])).toEqual([3]);
    expect(await b.add([{ key: "k1@0", delta: 2, expiresAt: exp }, { key: "k2@0", delta: 1, expiresAt: exp }, { key: "none@0", delta: 0, expiresAt: exp }])).toEqual([5, 1, 0]);
    // 40 parallel single increments from two connections: every one counted, each total once.
    const totals = (await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).add([{ key: "k3@0", delta: 1, expiresAt: exp }])))).map((r) => r[0]);
    expect(totals.sort((x, y) => x! - y!)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect((await t.db.rateCounter.findUnique({ where: { key: "k3@0" } }))?.count).toBe(40);
    expect((await t.db.rateCounter.findUnique({ where: { key: "k1@0" } }))?.expiresAt.getTime()).toBe(exp);
  });

  it("two limiters (two servers) on one database share the limit", async () => {
    // A fixed clock: the test must not straddle a window boundary.
    const now = () => 1_800_000_030_000;
    const a = new RateLimiter(rateCounterStore(t.db), { syncMs: 1000, now });
    const b = new RateLimiter(rateCounterStore(other), { syncMs: 1000, now });
    const id = `shared-${provider}`;
    for (let i = 0; i < 6; i++) expect(a.hit("token.c", id, 10, MIN)).toBeNull();
    for (let i = 0; i < 4; i++) expect(b.hit("token.c", id, 10, MIN)).toBeNull();
    await a.sync();
    await b.sync(); // b now knows the shared 10
    expect(b.hit("token.c", id, 10, MIN)).toBe(30);
    // a has not looked at the key since its sync: its snapshot is stale (6), so one hit passes
    // (the overshoot the sync interval allows), and its sync brings the shared count back.
    expect(a.hit("token.c", id, 10, MIN)).toBeNull();
    await a.sync();
    expect(a.hit("token.c", id, 10, MIN)).toBe(30);
    // Failures are written through: exact at once on either server.
    expect(await a.record("authfail.c", id, 5 * MIN)).toBe(1);
    expect(await b.record("authfail.c", id, 5 * MIN)).toBe(2);
  });
});
