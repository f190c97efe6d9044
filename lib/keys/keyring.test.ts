// The key ring keeps keys in memory: loaded and decrypted once, re-read in the background when
// stale (requests never wait for it), at once for an unknown kid.
import { describe, expect, it } from "vitest";
import { decodeProtectedHeader } from "jose";
import { createKeyRing, type KeyRow, type KeyStore } from "./keyring";
import { generateSigningKey } from "./generate";
import type { NewSigningKey } from "./generate";

const SECRET = "k".repeat(48);
const ISSUER = "https://id.test";

function fakeStore() {
  const rows: KeyRow[] = [];
  let reads = 0;
  let gate: Promise<void> | null = null;
  const store: KeyStore = {
    async published() {
      reads++;
      if (gate) await gate;
      return rows.filter((r) => r.state === "active" || r.retiredAt);
    },
    async rotate(k: NewSigningKey) {
      for (const r of rows) if (r.alg === k.alg && r.state === "active") Object.assign(r, { state: "retired", retiredAt: new Date() });
      const row: KeyRow = { ...k, state: "active", createdAt: new Date(), retiredAt: null };
      rows.push(row);
      return row;
    },
  };
  return {
    store,
    reads: () => reads,
    /** Holds every read until the returned function is called. */
    hold() {
      let release!: () => void;
      gate = new Promise((r) => (release = r));
      return () => {
        gate = null;
        release();
      };
    },
  };
}

const claims = () => ({ iss: ISSUER, sub: "s", aud: ISSUER, exp: Math.floor(Date.now() / 1000) + 60 });

describe("key ring", () => {
  it("loads once, then signs from memory until refreshMs passes", async () => {
    const f = fakeStore();
    let t = 1_000_000;
    const ring = createKeyRing(f.store, { issuer: ISSUER, secret: SECRET, retiredRetentionSeconds: 3600, refreshMs: 30_000, now: () => t });
    await ring.sign("ES256", claims(), "at+jwt");
    const afterFirst = f.reads();
    for (let i = 0; i < 5; i++) await ring.sign("ES256", claims(), "at+jwt");
    expect(f.reads()).toBe(afterFirst);
    t += 30_000;
    await ring.sign("ES256", claims(), "at+jwt");
    expect(f.reads()).toBe(afterFirst + 1);
  });

  it("a stale ring signs with the keys in hand while the re-read is pending, then with the rotated key", async () => {
    const f = fakeStore();
    let t = 1_000_000;
    const ring = createKeyRing(f.store, { issuer: ISSUER, secret: SECRET, retiredRetentionSeconds: 3600, refreshMs: 30_000, now: () => t });
    const oldKid = decodeProtectedHeader(await ring.sign("ES256", claims(), "at+jwt")).kid;
    const rotated = await f.store.rotate(await generateSigningKey("ES256", SECRET));
    t += 30_000;
    const release = f.hold();
    // The re-read is held: signing must not wait for it.
    const during = await Promise.race([
      ring.sign("ES256", claims(), "at+jwt"),
      new Promise<string>((_, reject) => setTimeout(() => reject(new Error("sign waited for the reload")), 1000)),
    ]);
    expect(decodeProtectedHeader(during).kid).toBe(oldKid);
    release();
    await new Promise((r) => setTimeout(r, 50));
    expect(decodeProtectedHeader(await ring.sign("ES256", claims(), "at+jwt")).kid).toBe(rotated.kid);
  });

  it("verifies a token signed with a key rotated in elsewhere (unknown kid -> immediate re-read)", async () => {
    const f = fakeStore();
    const ring = createKeyRing(f.store, { issuer: ISSUER, secret: SECRET, retiredRetentionSeconds: 3600 });
    await ring.jwks();
    const other = createKeyRing(f.store, { issuer: ISSUER, secret: SECRET, retiredRetentionSeconds: 3600 });
    await f.store.rotate(await generateSigningKey("ES256", SECRET));
    await other.reload();
    const jwt = await other.sign("ES256", claims(), "at+jwt");
    await expect(ring.verify(jwt, { typ: "at+jwt", audience: ISSUER })).resolves.toMatchObject({ sub: "s" });
  });
});
