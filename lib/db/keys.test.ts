// Signing keys in the database, on both providers: one active key per algorithm, rotation
// retires the previous one, and the published set keeps recently retired keys.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PROVIDERS, tempDatabase, type TempDatabase } from "@test/db";
import { keyStore } from "./keys";
import { generateSigningKey } from "../keys/generate";

const SECRET = "k".repeat(40);
const tick = () => new Promise((r) => setTimeout(r, 15));

describe.each(PROVIDERS)("key store on %s", (provider) => {
  let t: TempDatabase;
  beforeEach(async () => {
    t = await tempDatabase(provider);
  });
  afterEach(async () => {
    await t?.drop();
  });

  it("rotating ES256 twice leaves exactly one active ES256 key; the previous one is retired with retiredAt set", async () => {
    const keys = keyStore(t.db);
    const first = await keys.rotate(await generateSigningKey("ES256", SECRET));
    expect(first.state).toBe("active");
    expect(first.retiredAt).toBeNull();
    await tick();
    const second = await keys.rotate(await generateSigningKey("ES256", SECRET));

    const rows = await t.db.signingKey.findMany({ where: { alg: "ES256" } });
    expect(rows.filter((k) => k.state === "active").map((k) => k.kid)).toEqual([second.kid]);
    const old = rows.find((k) => k.kid === first.kid);
    expect(old?.state).toBe("retired");
    // Retired in the same transaction that created its successor.
    expect(old?.retiredAt).toEqual(second.createdAt);

    const audits = await t.db.auditEvent.findMany({ where: { type: "key.rotated" }, orderBy: { createdAt: "asc" } });
    expect(audits.map((a) => JSON.parse(a.data ?? "null"))).toStrictEqual([
      { kid: first.kid, alg: "ES256", retired: 0 },
      { kid: second.kid, alg: "ES256", retired: 1 },
    ]);
  });

  it("rotating one algorithm leaves the other's active key alone", async () => {
    const keys = keyStore(t.db);
    const rs = await keys.rotate(await generateSigningKey("RS256", SECRET));
    await keys.rotate(await generateSigningKey("ES256", SECRET));
    await keys.rotate(await generateSigningKey("ES256", SECRET));
    const active = await t.db.signingKey.findMany({ where: { state: "active" } });
    expect(active.map((k) => k.alg).sort()).toEqual(["ES256", "RS256"]);
    expect(active.find((k) => k.alg === "RS256")?.kid).toBe(rs.kid);
  });

  it("published(since) lists the active key and keys retired after `since`, not those retired before", async () => {
    const keys = keyStore(t.db);
    const k1 = await keys.rotate(await generateSigningKey("ES256", SECRET));
    await tick();
    const k2 = await keys.rotate(await generateSigningKey("ES256", SECRET)); // retires k1 at k2.createdAt
    await tick();
    const k3 = await keys.rotate(await generateSigningKey("ES256", SECRET)); // retires k2 at k3.createdAt

    const since = new Date(k2.createdAt.getTime() + 1); // after k1's retirement, before k2's
    const published = await keys.published(since);
    expect(published.map((k) => k.kid)).toEqual([k3.kid, k2.kid]);
    expect(published.map((k) => k.state)).toEqual(["active", "retired"]);
    expect(published.map((k) => k.kid)).not.toContain(k1.kid);

    // Retired exactly at `since` is no longer published (strictly after).
    expect((await keys.published(k2.createdAt)).map((k) => k.kid)).toEqual([k3.kid, k2.kid]);
    expect((await keys.published(k3.createdAt)).map((k) => k.kid)).toEqual([k3.kid]);
  });
});
