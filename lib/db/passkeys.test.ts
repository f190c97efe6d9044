// Passkeys and used WebAuthn challenges on SQLite and PostgreSQL: own-only rename and remove,
// the signature counter rule (W3C WebAuthn §7.2 step 21/22) as one conditional write, the
// per-user cap, and a challenge that can be claimed exactly once however many try at once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROVIDERS, tempDatabase, type TempDatabase } from "@test/db";
import { cleanPasskeyName, MAX_PASSKEYS_PER_USER, passkeyStore, type NewPasskey } from "./passkeys";
import { usedChallengeStore } from "./used-challenges";
import { userStore } from "./users";

describe.each(PROVIDERS)("passkeys on %s", (provider) => {
  let t: TempDatabase;
  let ada: string;
  let bob: string;
  beforeAll(async () => {
    t = await tempDatabase(provider);
    ada = (await userStore(t.db).create({ email: "ada@example.com", passwordHash: "h" })).id;
    bob = (await userStore(t.db).create({ email: "bob@example.com", passwordHash: "h" })).id;
  });
  afterAll(async () => {
    await t?.drop();
  });

  const key = (id: string, userId: string, over: Partial<NewPasskey> = {}): NewPasskey => ({
    id,
    userId,
    name: "Laptop",
    publicKey: "pk",
    counter: 0,
    transports: ["internal", "hybrid"],
    deviceType: "multiDevice",
    backedUp: true,
    ...over,
  });

  const events = async (type: string) => t.db.auditEvent.findMany({ where: { type }, orderBy: { id: "asc" } });

  it("adds a passkey with its audit event, lists it and finds it by credential id", async () => {
    const s = passkeyStore(t.db);
    expect(await s.add(key("cred-a1", ada, { name: "  My   phone  " }), { ip: "203.0.113.9" })).toBe("ok");
    const found = await s.find("cred-a1");
    expect(found).toMatchObject({ id: "cred-a1", userId: ada, name: "My phone", counter: 0, transports: ["internal", "hybrid"], backedUp: true, lastUsedAt: null });
    expect((await s.listByUser(ada)).map((p) => p.id)).toEqual(["cred-a1"]);
    expect(await s.countByUser(ada)).toBe(1);
    expect(await s.find("nope")).toBeNull();
    const e = (await events("passkey.registered")).at(-1)!;
    expect([e.actorId, e.subjectId, e.ip]).toEqual([ada, ada, "203.0.113.9"]);
    expect(JSON.parse(e.data!)).toEqual({ passkey: "cred-a1", deviceType: "multiDevice", backedUp: true });
  });

  it("refuses a credential id that is already registered, to anyone, without a second event", async () => {
    const s = passkeyStore(t.db);
    const before = (await events("passkey.registered")).length;
    expect(await s.add(key("cred-a1", bob))).toBe("exists");
    expect((await s.find("cred-a1"))!.userId).toBe(ada);
    expect((await events("passkey.registered")).length).toBe(before);
  });

  it("renames and removes only the caller's own passkeys", async () => {
    const s = passkeyStore(t.db);
    await s.add(key("cred-b1", bob));
    expect(await s.rename(ada, "cred-b1", "Stolen")).toBe(false);
    expect(await s.remove(ada, "cred-b1")).toBe(false);
    expect((await s.find("cred-b1"))!.name).toBe("Laptop");
    expect(await s.rename(bob, "cred-b1", "  ")).toBe(false);
    expect(await s.rename(bob, "cred-b1", "Work key")).toBe(true);
    expect((await s.find("cred-b1"))!.name).toBe("Work key");
    expect(await s.remove(bob, "cred-b1")).toBe(true);
    expect(await s.find("cred-b1")).toBeNull();
    expect(await s.remove(bob, "cred-b1")).toBe(false);
    expect((await events("passkey.renamed")).map((e) => [e.subjectId, JSON.parse(e.data!).passkey])).toEqual([[bob, "cred-b1"]]);
    expect((await events("passkey.removed")).map((e) => [e.subjectId, JSON.parse(e.data!).passkey])).toEqual([[bob, "cred-b1"]]);
  });

  it("takes a counter that increased, refuses one that did not (audited), and accepts 0 after 0", async () => {
    const s = passkeyStore(t.db);
    await s.add(key("cred-c", ada, { counter: 5 }));
    const at = new Date("2026-12-01T10:00:00Z");
    expect(await s.recordUse("cred-c", { counter: 6, backedUp: false }, at)).toBe("ok");
    expect(await s.find("cred-c")).toMatchObject({ counter: 6, backedUp: false, lastUsedAt: at });
    // The same counter again (a replay or a clone), a lower one, and a reset to 0: refused.
    for (const counter of [6, 3, 0]) {
      expect(await s.recordUse("cred-c", { counter, backedUp: false, ip: "198.51.100.7" }, new Date())).toBe("counter_not_increased");
    }
    expect(await s.find("cred-c")).toMatchObject({ counter: 6, lastUsedAt: at });
    const rejected = await events("passkey.counter_rejected");
    expect(rejected.map((e) => JSON.parse(e.data!))).toEqual([
      { passkey: "cred-c", stored: 6, received: 6 },
      { passkey: "cred-c", stored: 6, received: 3 },
      { passkey: "cred-c", stored: 6, received: 0 },
    ]);
    expect(rejected.every((e) => e.subjectId === ada && e.ip === "198.51.100.7")).toBe(true);
    // An authenticator that keeps no counter (0 and 0): every use is recorded.
    expect(await s.recordUse("cred-a1", { counter: 0, backedUp: true }, at)).toBe("ok");
    expect(await s.recordUse("cred-a1", { counter: 0, backedUp: true }, at)).toBe("ok");
    expect(await s.recordUse("gone", { counter: 1, backedUp: true })).toBe("unknown");
  });

  it("lets exactly one of many parallel uses with the same counter through", async () => {
    const s = passkeyStore(t.db);
    await s.add(key("cred-race", ada, { counter: 1 }));
    const results = await Promise.all(Array.from({ length: 10 }, () => s.recordUse("cred-race", { counter: 2, backedUp: true })));
    expect(results.filter((r) => r === "ok")).toHaveLength(1);
  });

  it("caps the passkeys of one account", async () => {
    const s = passkeyStore(t.db);
    const carl = (await userStore(t.db).create({ email: "carl@example.com", passwordHash: "h" })).id;
    for (let i = 0; i < MAX_PASSKEYS_PER_USER; i++) expect(await s.add(key(`cap-${i}`, carl))).toBe("ok");
    expect(await s.add(key("cap-over", carl))).toBe("limit");
    expect(await s.countByUser(carl)).toBe(MAX_PASSKEYS_PER_USER);
  });

  it("claims a challenge once, even when 20 claims race", async () => {
    const c = usedChallengeStore(t.db);
    const until = new Date(Date.now() + 300_000);
    const results = await Promise.all(Array.from({ length: 20 }, () => c.claim("challenge-1", until)));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await c.claim("challenge-1", until)).toBe(false);
    expect(await c.claim("challenge-2", until)).toBe(true);
    // Stored under a hash, with the challenge's expiry (the purge removes it after).
    const rows = await t.db.rateCounter.findMany({ where: { key: { startsWith: "webauthn-challenge:" } } });
    expect(rows).toHaveLength(2);
    expect(rows.some((r) => r.key.includes("challenge-1"))).toBe(false);
    expect(rows.every((r) => r.expiresAt.getTime() === until.getTime())).toBe(true);
  });
});

describe("passkey names", () => {
  it("are trimmed, collapsed and cut to 64 characters", () => {
    expect(cleanPasskeyName("  a \n b  ")).toBe("a b");
    expect(cleanPasskeyName("x".repeat(100))).toHaveLength(64);
    expect(cleanPasskeyName(" \t ")).toBe("");
  });
});
