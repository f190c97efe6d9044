// The hot-path client cache: hits within the TTL, forgets on a committed change, never keeps a
// record that may predate a change, never caches a miss, and hands out frozen records.
import { describe, expect, it } from "vitest";
import { CLIENT_CACHE_TTL_MS, clientCache, clientChange, clientsChanged } from "./client-cache";

function counter<T extends object>(value: T | null) {
  let calls = 0;
  const load = async () => {
    calls++;
    return value === null ? null : structuredClone(value);
  };
  return { load, calls: () => calls };
}

describe("client cache", () => {
  it("serves a record from memory within the TTL, then reads it again", async () => {
    let t = 1_000;
    const cache = clientCache<{ n: number }>(() => t);
    const c = counter({ n: 1 });
    await cache.get("a", c.load);
    await cache.get("a", c.load);
    t += CLIENT_CACHE_TTL_MS - 1;
    await cache.get("a", c.load);
    expect(c.calls()).toBe(1);
    t += 1;
    await cache.get("a", c.load);
    expect(c.calls()).toBe(2);
  });

  it("forgets everything after a change to any client (every cache of the process)", async () => {
    const one = clientCache<{ n: number }>();
    const two = clientCache<{ n: number }>();
    const c = counter({ n: 1 });
    await one.get("a", c.load);
    await two.get("a", c.load);
    await clientChange(Promise.resolve("committed"));
    await one.get("a", c.load);
    await two.get("a", c.load);
    expect(c.calls()).toBe(4);
  });

  it("a failed change forgets too (it may have half-applied nothing, but costs only a read)", async () => {
    const cache = clientCache<{ n: number }>();
    const c = counter({ n: 1 });
    await cache.get("a", c.load);
    await expect(clientChange(Promise.reject(new Error("rolled back")))).rejects.toThrow("rolled back");
    await cache.get("a", c.load);
    expect(c.calls()).toBe(2);
  });

  it("a record read while a change committed is returned but not kept", async () => {
    const cache = clientCache<{ n: number }>();
    let calls = 0;
    const racing = async () => {
      calls++;
      const v = { n: calls };
      clientsChanged(); // the change commits while this read is in flight
      return v;
    };
    expect(await cache.get("a", racing)).toEqual({ n: 1 });
    expect(await cache.get("a", async () => ({ n: ++calls }))).toEqual({ n: 2 });
    expect(calls).toBe(2);
  });

  it("does not cache a miss", async () => {
    const cache = clientCache<{ n: number }>();
    const c = counter<{ n: number }>(null);
    expect(await cache.get("x", c.load)).toBeNull();
    expect(await cache.get("x", c.load)).toBeNull();
    expect(c.calls()).toBe(2);
  });

  it("keys do not mix, and records are frozen (shared between requests)", async () => {
    const cache = clientCache<{ n: number; uris: string[] }>();
    const a = await cache.get("a", async () => ({ n: 1, uris: ["https://a"] }));
    const b = await cache.get("b", async () => ({ n: 2, uris: ["https://b"] }));
    expect([a?.n, b?.n]).toEqual([1, 2]);
    expect(Object.isFrozen(a)).toBe(true);
    expect(() => a?.uris.push("https://evil")).toThrow(TypeError);
  });
});

describe("client cache across module copies", () => {
  it("a change announced by another copy of the module (Next's bundle vs the lean router) is seen", async () => {
    const { vi } = await import("vitest");
    vi.resetModules();
    const other = await import("./client-cache");
    expect(other.clientsChanged).not.toBe(clientsChanged); // really a second copy
    const cache = clientCache<{ n: number }>();
    const c = counter({ n: 1 });
    await cache.get("a", c.load);
    other.clientsChanged();
    await cache.get("a", c.load);
    expect(c.calls()).toBe(2);
  });
});
