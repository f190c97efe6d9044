// Emailed links on SQLite and PostgreSQL: stored hashed, expiry, single use under parallel uses,
// a newer link voids the older one, voidAll (a password change), wrong purpose refused.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { PROVIDERS, tempDatabase, type TempDatabase } from "@test/db";
import { sha256 } from "../crypto/tokens";
import { emailTokenStore } from "./email-tokens";

describe.each(PROVIDERS)("email tokens on %s", (provider) => {
  let t: TempDatabase;
  let userId: string;
  beforeAll(async () => {
    t = await tempDatabase(provider);
  });
  afterAll(async () => {
    await t?.drop();
  });
  const newUser = async () => (await t.db.user.create({ data: { email: `e-${randomUUID()}@example.com`, passwordHash: "x" } })).id;

  it("issues a 256-bit token stored only as its SHA-256, and consumes it once with the row", async () => {
    userId = await newUser();
    const s = emailTokenStore(t.db);
    const { token } = await s.issue(userId, "reset", " A@Example.com ", 1800);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const row = await t.db.emailToken.findFirstOrThrow({ where: { userId } });
    expect(row.tokenHash).toBe(sha256(token));
    expect(JSON.stringify(row)).not.toContain(token);
    expect(row.email).toBe("a@example.com");
    expect(await s.peek(token, ["reset"])).toMatchObject({ userId, purpose: "reset" });
    expect(await s.consume(token, ["reset"])).toMatchObject({ userId, purpose: "reset", email: "a@example.com" });
    expect(await s.consume(token, ["reset"])).toBeNull();
    expect(await s.peek(token, ["reset"])).toBeNull();
  });

  it("refuses an expired link, a link of another purpose, and garbage", async () => {
    userId = await newUser();
    const s = emailTokenStore(t.db);
    const now = new Date();
    const { token } = await s.issue(userId, "verify", "v@example.com", 60, now);
    expect(await s.consume(token, ["reset", "invite"], now)).toBeNull();
    expect(await s.consume(token, ["verify"], new Date(now.getTime() + 61_000))).toBeNull();
    expect(await s.consume("", ["verify"])).toBeNull();
    expect(await s.consume(["x"], ["verify"])).toBeNull();
    expect(await s.consume("x".repeat(10_000), ["verify"])).toBeNull();
    // Still unused: the refusals did not burn it.
    expect(await s.consume(token, ["verify"], now)).toMatchObject({ purpose: "verify" });
  });

  it("of 20 parallel uses of one link exactly one wins", async () => {
    userId = await newUser();
    const s = emailTokenStore(t.db);
    const { token } = await s.issue(userId, "reset", "p@example.com", 1800);
    const results = await Promise.all(Array.from({ length: 20 }, () => s.consume(token, ["reset"])));
    expect(results.filter((r) => r !== null)).toHaveLength(1);
  });

  it("a newer link voids the older one of the same purpose, not other purposes", async () => {
    userId = await newUser();
    const s = emailTokenStore(t.db);
    const first = await s.issue(userId, "reset", "n@example.com", 1800);
    const verify = await s.issue(userId, "verify", "n@example.com", 1800);
    const second = await s.issue(userId, "reset", "n@example.com", 1800);
    expect(await s.consume(first.token, ["reset"])).toBeNull();
    expect(await s.consume(second.token, ["reset"])).not.toBeNull();
    expect(await s.consume(verify.token, ["verify"])).not.toBeNull();
  });

  it("voidAll voids the user's unused links of the purposes given, and revoke one link", async () => {
    userId = await newUser();
    const other = await newUser();
    const s = emailTokenStore(t.db);
    const reset = await s.issue(userId, "reset", "r@example.com", 1800);
    const invite = await s.issue(userId, "invite", "r@example.com", 1800);
    const theirs = await s.issue(other, "reset", "o@example.com", 1800);
    expect(await s.voidAll(userId, ["reset"])).toBe(1);
    expect(await s.consume(reset.token, ["reset"])).toBeNull();
    expect(await s.consume(theirs.token, ["reset"])).not.toBeNull();
    await s.revoke(invite.id);
    expect(await s.consume(invite.token, ["invite"])).toBeNull();
  });
});
