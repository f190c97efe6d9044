// Prisma on SQLite while another connection (another process: the CLI, a second instance) holds
// the write lock: the event loop keeps running (a 10 ms timer keeps firing), a write waits
// asynchronously and succeeds once the lock is free, or fails as "temporarily unavailable" after
// DB_BUSY_RETRY_MS; a transaction that reads before it writes no longer fails when a writer got in
// between (issue 18 §2).
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDatabase, type TempDatabase } from "@test/db";
import { TemporarilyUnavailable } from "../oauth/errors";
import { createDb, type Db } from "./client";
import { isDatabaseUnavailable } from "./errors";
import { userStore } from "./users";
import type { DatabaseLimits } from "../config/database-url";

/** A stall of the event loop this long means a synchronous wait (the timer ticks every 10 ms; the slack is for a loaded machine). */
const STALL_MS = 250;
const LIMITS: DatabaseLimits = { connectTimeoutMs: 1000, statementTimeoutMs: 1000, idleInTransactionTimeoutMs: 1000, busyRetryMs: 600 };

/** The longest gap between ticks of a 10 ms timer while `p` runs: how long the event loop was blocked. */
async function longestStall<T>(p: () => Promise<T>): Promise<{ result: PromiseSettledResult<T>; stallMs: number; ms: number }> {
  let last = performance.now();
  let stallMs = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    stallMs = Math.max(stallMs, now - last);
    last = now;
  }, 10);
  const start = performance.now();
  const [result] = await Promise.allSettled([p()]);
  const ms = performance.now() - start;
  clearInterval(timer);
  return { result: result as PromiseSettledResult<T>, stallMs: Math.max(stallMs, performance.now() - last), ms };
}

describe("Prisma on SQLite while another connection holds the write lock", () => {
  let t: TempDatabase;
  let db: Db;
  let other: Database.Database;
  let userId: string;
  const file = () => t.url.slice("file:".length);
  /** The other connection takes the write lock now and lets go after `ms`. */
  const holdLock = (ms: number) => {
    other.exec("BEGIN IMMEDIATE");
    other.prepare('UPDATE "User" SET "name" = "name" || \'+other\' WHERE "id" = ?').run(userId);
    return new Promise<void>((r) =>
      setTimeout(() => {
        other.exec("COMMIT");
        r();
      }, ms),
    );
  };

  beforeAll(async () => {
    t = await tempDatabase("sqlite");
    db = createDb(t.url, LIMITS);
    userId = (await userStore(t.db).create({ email: "ada@example.com", passwordHash: "x", name: "ada" })).id;
    other = new Database(file(), { timeout: 0 });
  });
  afterAll(async () => {
    other?.close();
    await db?.$disconnect();
    await t?.drop();
  });

  it("held longer than DB_BUSY_RETRY_MS: the write fails as TemporarilyUnavailable after the budget, and the event loop never stalls", async () => {
    const held = holdLock(2000);
    const { result, stallMs, ms } = await longestStall(() => db.user.update({ where: { id: userId }, data: { name: "x" } }));
    expect(result.status).toBe("rejected");
    expect((result as PromiseRejectedResult).reason).toBeInstanceOf(TemporarilyUnavailable);
    expect(ms).toBeGreaterThanOrEqual(LIMITS.busyRetryMs - 5);
    expect(ms).toBeLessThan(1700);
    expect(stallMs).toBeLessThan(STALL_MS);
    await held;
  });

  it("held longer than DB_BUSY_RETRY_MS: a transaction fails to start after the budget as 'database unavailable', and later ones work", async () => {
    const held = holdLock(2000);
    const { result, stallMs, ms } = await longestStall(() => db.$transaction(async (tx) => tx.user.count()));
    expect(result.status).toBe("rejected");
    expect(isDatabaseUnavailable((result as PromiseRejectedResult).reason)).toBe(true);
    expect(ms).toBeLessThan(1700);
    expect(stallMs).toBeLessThan(STALL_MS);
    await held;
    expect(await db.$transaction(async (tx) => tx.user.count())).toBe(1);
  });

  it("held a moment: the write waits without blocking, then succeeds", async () => {
    const held = holdLock(400);
    const { result, stallMs, ms } = await longestStall(() => db.user.update({ where: { id: userId }, data: { name: "mine" } }));
    expect(result.status).toBe("fulfilled");
    expect(ms).toBeGreaterThanOrEqual(390);
    expect(stallMs).toBeLessThan(STALL_MS);
    await held;
    expect((await db.user.findUniqueOrThrow({ where: { id: userId } })).name).toBe("mine");
  });

  it("a transaction that reads, then writes, while another connection writes: it waits for the lock and both writes count", async () => {
    await db.user.update({ where: { id: userId }, data: { name: "a" } });
    const held = holdLock(400); // name becomes "a+other" when it commits
    const { result, stallMs } = await longestStall(() =>
      db.$transaction(async (tx) => {
        const u = await tx.user.findUniqueOrThrow({ where: { id: userId } });
        return tx.user.update({ where: { id: userId }, data: { name: `${u.name}+tx` } });
      }),
    );
    await held;
    expect(result.status).toBe("fulfilled");
    expect(stallMs).toBeLessThan(STALL_MS);
    expect((await db.user.findUniqueOrThrow({ where: { id: userId } })).name).toBe("a+other+tx");
  });

  it("a transaction that starts while the lock is held, and reads before the other connection commits, is not lost (no SQLITE_BUSY_SNAPSHOT)", async () => {
    await db.user.update({ where: { id: userId }, data: { name: "b" } });
    // The other writer commits in the middle of the callback: with a deferred BEGIN the callback's
    // read would see "b", and its write would fail at once with SQLITE_BUSY_SNAPSHOT.
    const writes = (async () => {
      await new Promise((r) => setTimeout(r, 20));
      for (let i = 0; i < 20; i++) {
        try {
          other.prepare('UPDATE "User" SET "name" = "name" || \'+o\' WHERE "id" = ?').run(userId);
          return;
        } catch {
          await new Promise((r) => setTimeout(r, 20));
        }
      }
    })();
    await db.$transaction(async (tx) => {
      const u = await tx.user.findUniqueOrThrow({ where: { id: userId } });
      await new Promise((r) => setTimeout(r, 60));
      await tx.user.update({ where: { id: userId }, data: { name: `${u.name}+tx` } });
    });
    await writes;
    expect((await db.user.findUniqueOrThrow({ where: { id: userId } })).name).toBe("b+tx+o");
  });
});
