// The purge, against real SQLite and real PostgreSQL: expired rows go, rows something still
// needs stay; batches; two purges at once; the schedule.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { randomUUID } from "node:crypto";
import { PROVIDERS, tempDatabase, type TempDatabase } from "@test/db";
import { captureLog } from "@test/log-capture";
import { PURGED_TABLES, purgeStore, purgeTargets, scheduleEvery, type PurgeCounts } from "./purge";

const NOW = new Date("2026-06-01T12:00:00.000Z");
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const at = (ms: number) => new Date(NOW.getTime() + ms);
const policy = { now: NOW, auditRetentionDays: 365, throttleWindowSeconds: 900 };

describe.each(PROVIDERS)("purge on %s", (provider) => {
  let t: TempDatabase;
  let userId: string;
  let clientId: string;
  beforeAll(async () => {
    t = await tempDatabase(provider);
    userId = (await t.db.user.create({ data: { email: `p-${randomUUID()}@example.com`, passwordHash: "x" } })).id;
    clientId = (
      await t.db.client.create({
        data: { clientId: `c-${randomUUID()}`, name: "C", tokenEndpointAuthMethod: "none", redirectUris: "[]", scopes: "openid", grantTypes: "authorization_code" },
      })
    ).id;
  });
  afterAll(async () => {
    await t?.drop();
  });

  const request = (id: string, expiresAt: Date) =>
    t.db.authorizationRequest.create({ data: { id, clientId, params: "{}", expiresAt, createdAt: at(-20 * MIN) } });
  const code = (id: string, expiresAt: Date, consumedAt: Date | null = null) =>
    t.db.authorizationCode.create({
      data: { id, codeHash: `h-${id}`, grantId: `g-${id}`, clientId, userId, redirectUri: "https://a/cb", scope: "openid", authTime: at(-2 * DAY), expiresAt, consumedAt, createdAt: new Date(expiresAt.getTime() - MIN) },
    });
  const access = (jti: string, createdAt: Date, expiresAt: Date) =>
    t.db.accessToken.create({ data: { jti, clientId, userId, scope: "openid", createdAt, expiresAt } });
  const refresh = (id: string, expiresAt: Date, absoluteExpiresAt: Date, rotatedAt: Date | null = null, grantId = "family") =>
    t.db.refreshToken.create({
      data: { id, tokenHash: `h-${id}`, grantId, clientId, userId, scope: "openid offline_access", authTime: at(-100 * DAY), expiresAt, absoluteExpiresAt, rotatedAt },
    });
  const session = (id: string, expiresAt: Date, revokedAt: Date | null = null) =>
    t.db.portalSession.create({ data: { id, publicSid: `sid-${id}`, userId, authTime: at(-DAY), expiresAt, revokedAt } });
  const throttle = (key: string, lastFailureAt: Date, lockedUntil: Date | null = null) =>
    t.db.loginThrottle.create({ data: { key, failures: 3, firstFailureAt: lastFailureAt, lastFailureAt, lockedUntil } });
  const iat = (id: string, expiresAt: Date) =>
    t.db.initialAccessToken.create({ data: { id, tokenHash: `h-${id}`, prefix: "p", label: id, expiresAt } });
  const device = (id: string, expiresAt: Date, revokedAt: Date | null = null) =>
    t.db.trustedDevice.create({ data: { id, userId, tokenHash: `h-${id}`, expiresAt, revokedAt } });
  const event = (id: string, createdAt: Date) => t.db.auditEvent.create({ data: { id, type: "test", createdAt } });

  it("removes what has expired and keeps what something still needs", async () => {
    await request("req-expired", at(-1));
    await request("req-live", at(5 * MIN));
    // Codes: a consumed code is kept a day past its expiry so that a replay is still recognised.
    await code("code-old", at(-DAY - MIN), at(-DAY - 2 * MIN));
    await code("code-recent", at(-HOUR), at(-HOUR - 30_000));
    await code("code-live", at(30_000));
    // Access tokens: kept a day past expiry (the admin console counts those issued in 24 h).
    await access("at-old", at(-DAY - 20 * MIN), at(-DAY - 10 * MIN));
    await access("at-today", at(-20 * HOUR), at(-20 * HOUR + 10 * MIN));
    await access("at-live", at(-MIN), at(9 * MIN));
    // Refresh tokens: a family's rotated tokens stay until the family's absolute expiry.
    await refresh("rt-family-over", at(-20 * DAY), at(-1), at(-20 * DAY));
    await refresh("rt-rotated-in-live-family", at(-20 * DAY), at(10 * DAY), at(-30 * DAY));
    await refresh("rt-live", at(14 * DAY), at(10 * DAY));
    // A family whose newest token passed its idle expiry over a day ago can never refresh again.
    await refresh("rt-idle-rotated", at(-16 * DAY), at(70 * DAY), at(-15 * DAY), "idle-family");
    await refresh("rt-idle-head", at(-2 * DAY), at(70 * DAY), null, "idle-family");
    await refresh("rt-just-idle-head", at(-HOUR), at(70 * DAY), null, "just-idle-family");
    await session("s-expired", at(-1));
    await session("s-revoked-long-ago", at(5 * DAY), at(-DAY - 1));
    await session("s-revoked-now", at(5 * DAY), at(-HOUR));
    await session("s-live", at(5 * DAY));
    await device("dev-expired", at(-1));
    await device("dev-revoked-long-ago", at(100 * DAY), at(-DAY - 1));
    await device("dev-live", at(100 * DAY));
    // Emailed links go once expired (used or not).
    const owner = await t.db.user.create({ data: { email: `purge-${randomUUID()}@example.com`, passwordHash: "x" } });
    const link = (id: string, expiresAt: Date) =>
      t.db.emailToken.create({ data: { id, tokenHash: `h-${id}`, purpose: "reset", userId: owner.id, email: owner.email, expiresAt } });
    await link("link-expired", at(-1));
    await link("link-live", at(10 * MIN));
    await throttle("ip:old", at(-16 * MIN));
    await throttle("ip:old-but-locked", at(-16 * MIN), at(HOUR));
    await throttle("ip:recent", at(-MIN));
    // Rate-limit counters go once their window has ended.
    await t.db.rateCounter.create({ data: { key: "token.c:old@0", count: 5, expiresAt: at(-1) } });
    await t.db.rateCounter.create({ data: { key: "token.c:live@1", count: 5, expiresAt: at(MIN) } });
    await iat("iat-long-expired", at(-31 * DAY));
    await iat("iat-recently-expired", at(-DAY));
    await event("00000000-0000-7000-8000-000000000001", at(-366 * DAY));
    await event("00000000-0000-7000-8000-000000000002", at(-364 * DAY));

    const counts = await purgeStore(t.db).purgeExpired(policy);
    expect(counts).toStrictEqual<PurgeCounts>({
      authorizationRequests: 1,
      authorizationCodes: 1,
      accessTokens: 1,
      refreshTokens: 1,
      idleRefreshFamilies: 2,
      portalSessions: 2,
      trustedDevices: 2,
      emailTokens: 1,
      loginThrottles: 1,
      rateCounters: 1,
      initialAccessTokens: 1,
      unusedClients: 0,
      auditEvents: 1,
    });
    const ids = async <T,>(rows: Promise<T[]>, key: keyof T) => (await rows).map((r) => r[key]).sort();
    expect(await ids(t.db.authorizationRequest.findMany(), "id")).toEqual(["req-live"]);
    expect(await ids(t.db.authorizationCode.findMany(), "id")).toEqual(["code-live", "code-recent"]);
    expect(await ids(t.db.accessToken.findMany(), "jti")).toEqual(["at-live", "at-today"]);
    expect(await ids(t.db.refreshToken.findMany(), "id")).toEqual(["rt-just-idle-head", "rt-live", "rt-rotated-in-live-family"]);
    expect(await ids(t.db.portalSession.findMany(), "id")).toEqual(["s-live", "s-revoked-now"]);
    expect(await ids(t.db.trustedDevice.findMany(), "id")).toEqual(["dev-live"]);
    expect(await ids(t.db.emailToken.findMany(), "id")).toEqual(["link-live"]);
    expect(await ids(t.db.loginThrottle.findMany(), "key")).toEqual(["ip:old-but-locked", "ip:recent"]);
    expect(await ids(t.db.initialAccessToken.findMany(), "id")).toEqual(["iat-recently-expired"]);
    expect(await ids(t.db.rateCounter.findMany(), "key")).toEqual(["token.c:live@1"]);
    expect(await ids(t.db.auditEvent.findMany(), "id")).toEqual(["00000000-0000-7000-8000-000000000002"]);

    // Nothing left to do: a second run (or another instance) deletes nothing.
    expect(Object.values(await purgeStore(t.db).purgeExpired(policy))).toEqual(PURGED_TABLES.map(() => 0));
  });

  it("OPEN_REGISTRATION_UNUSED_TTL_SECONDS: self-registered clients never used go after the TTL; used, suspended, verified or other ones stay", async () => {
    const client = async (name: string, registeredVia: string, createdAt: Date, over: { suspended?: boolean; verified?: boolean } = {}) =>
      (
        await t.db.client.create({
          data: { clientId: `u-${name}-${randomUUID()}`, name, tokenEndpointAuthMethod: "none", redirectUris: "[]", scopes: "openid", grantTypes: "authorization_code", registeredVia, createdAt, ...over },
        })
      ).id;
    const old = at(-DAY - MIN);
    const unusedOpen = await client("open-unused", "open_registration", old);
    const unusedDoc = await client("doc-unused", "metadata_document", old);
    const young = await client("open-young", "open_registration", at(-HOUR));
    const withConsent = await client("open-consented", "open_registration", old);
    await t.db.consent.create({ data: { userId, clientId: withConsent, scopes: "openid", revokedAt: at(-HOUR) } });
    const withRequest = await client("doc-waiting", "metadata_document", old);
    await t.db.authorizationRequest.create({ data: { id: `w-${randomUUID()}`, clientId: withRequest, params: "{}", expiresAt: at(5 * MIN) } });
    const withToken = await client("open-token", "open_registration", old);
    await t.db.accessToken.create({ data: { jti: `j-${randomUUID()}`, clientId: withToken, userId, scope: "openid", expiresAt: at(HOUR) } });
    const suspended = await client("doc-suspended", "metadata_document", old, { suspended: true });
    const verified = await client("open-verified", "open_registration", old, { verified: true });
    const withIat = await client("dynamic", "dynamic", old);
    const dashboard = await client("dashboard", "dashboard", old);

    expect((await purgeStore(t.db).purgeExpired({ ...policy, unusedClientTtlSeconds: null })).unusedClients).toBe(0);
    const counts = await purgeStore(t.db).purgeExpired({ ...policy, unusedClientTtlSeconds: 86_400 });
    expect(counts.unusedClients).toBe(2);
    const left = new Set((await t.db.client.findMany({ select: { id: true } })).map((c) => c.id));
    expect([unusedOpen, unusedDoc].filter((id) => left.has(id))).toEqual([]);
    for (const kept of [young, withConsent, withRequest, withToken, suspended, verified, withIat, dashboard]) expect(left.has(kept)).toBe(true);
  });

  it("AUDIT_RETENTION_DAYS=0 keeps audit events forever", async () => {
    await event("00000000-0000-7000-8000-000000000003", at(-5000 * DAY));
    const counts = await purgeStore(t.db).purgeExpired({ ...policy, auditRetentionDays: 0 });
    expect(counts.auditEvents).toBe(0);
    expect(await t.db.auditEvent.count({ where: { id: "00000000-0000-7000-8000-000000000003" } })).toBe(1);
    expect((await purgeStore(t.db).purgeExpired({ ...policy, auditRetentionDays: 30 })).auditEvents).toBe(2);
  });

  it("deletes in batches, at most maxBatches per run, and two purges at once delete each row once", async () => {
    for (let i = 0; i < 25; i++) await request(`batch-${String(i).padStart(2, "0")}`, at(-HOUR));
    const first = await purgeStore(t.db).purgeExpired({ ...policy, batchSize: 4, maxBatches: 3 });
    expect(first.authorizationRequests).toBe(12);
    const [a, b] = await Promise.all([
      purgeStore(t.db).purgeExpired({ ...policy, batchSize: 4 }),
      purgeStore(t.db).purgeExpired({ ...policy, batchSize: 4 }),
    ]);
    expect(a.authorizationRequests + b.authorizationRequests).toBe(13);
    expect(await t.db.authorizationRequest.count({ where: { id: { startsWith: "batch-" } } })).toBe(0);
  });

  it("the default batch fits the database's limit on bound values, over several batches", async () => {
    await t.db.authorizationRequest.createMany({
      data: Array.from({ length: 1200 }, (_, i) => ({ id: `many-${i}`, clientId, params: "{}", expiresAt: at(-HOUR) })),
    });
    expect((await purgeStore(t.db).purgeExpired(policy)).authorizationRequests).toBe(1200);
    expect(await t.db.authorizationRequest.count({ where: { id: { startsWith: "many-" } } })).toBe(0);
  });

  it("keeps a throttle row that failed again between the select and the delete", async () => {
    await throttle("email:racer@example.com", at(-16 * MIN));
    const target = purgeTargets(t.db, policy).loginThrottles!;
    const keys = await target.keys(1000);
    expect(keys).toContain("email:racer@example.com");
    // A new failure arrives between the select and the delete.
    await t.db.loginThrottle.update({ where: { key: "email:racer@example.com" }, data: { failures: { increment: 1 }, lastFailureAt: NOW } });
    expect(await target.remove(keys)).toBe(0);
    expect((await t.db.loginThrottle.findUnique({ where: { key: "email:racer@example.com" } }))?.failures).toBe(4);
  });
});

describe("scheduleEvery", () => {
  it("first runs after a random part of the interval, then every interval ±20%, never overlapping, and stops", async () => {
    vi.useFakeTimers();
    try {
      const runs: number[] = [];
      const randoms = [0.5, 0, 1];
      const stop = scheduleEvery(async () => void runs.push(Date.now()), 1000, () => randoms.shift() ?? 0.5);
      const start = Date.now();
      await vi.advanceTimersByTimeAsync(499);
      expect(runs).toEqual([]);
      await vi.advanceTimersByTimeAsync(1);
      expect(runs.map((r) => r - start)).toEqual([500]);
      await vi.advanceTimersByTimeAsync(800); // interval × 0.8 (random 0)
      expect(runs.map((r) => r - start)).toEqual([500, 1300]);
      await vi.advanceTimersByTimeAsync(1200); // interval × 1.2 (random 1)
      expect(runs.map((r) => r - start)).toEqual([500, 1300, 2500]);
      stop();
      await vi.advanceTimersByTimeAsync(10_000);
      expect(runs).toHaveLength(3);
    } finally {
      vi.useRealTimers();
    }
  });

  it("a failing run is logged and the schedule goes on", async () => {
    vi.useFakeTimers();
    const log = captureLog();
    try {
      let n = 0;
      const stop = scheduleEvery(async () => {
        n++;
        throw new Error("database is down");
      }, 1000, () => 0.5);
      await vi.advanceTimersByTimeAsync(500 + 1000 + 1000);
      expect(n).toBe(3);
      // Each failure is one error line with the error and its stack.
      expect(log.lines()).toMatchObject(
        Array.from({ length: 3 }, () => ({ level: "error", msg: "A scheduled task failed", err: { message: "database is down", stack: expect.any(String) } })),
      );
      stop();
    } finally {
      log.restore();
      vi.useRealTimers();
    }
  });
});
