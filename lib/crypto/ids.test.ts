import { describe, expect, it } from "vitest";
import { timeOrderedId } from "./ids";

// RFC 9562 §5.7: unix_ts_ms (48 bits) | ver = 7 | rand_a (12) | var = 0b10 | rand_b (62).
const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("timeOrderedId", () => {
  it("is a version 7 UUID with the RFC 9562 variant", () => {
    for (let i = 0; i < 100; i++) expect(timeOrderedId()).toMatch(V7);
  });

  it("starts with the current Unix time in milliseconds", () => {
    const before = Date.now();
    const id = timeOrderedId();
    const after = Date.now();
    const ms = parseInt(id.replaceAll("-", "").slice(0, 12), 16);
    expect(ms).toBeGreaterThanOrEqual(before);
    expect(ms).toBeLessThanOrEqual(after);
  });

  it("sorts in creation order, also within one millisecond (so inserts append to the index)", () => {
    const ids = Array.from({ length: 5000 }, timeOrderedId);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });
});
