import { describe, expect, it } from "vitest";
import { freshnessSeconds } from "./freshness";

const bounds = { minSeconds: 60, maxSeconds: 86_400, fallbackSeconds: 600 };

describe("freshnessSeconds (RFC 9111 §4.2.1, bounded)", () => {
  it.each([
    [{ "cache-control": "max-age=3600" }, 3600],
    [{ "cache-control": "public, max-age=120" }, 120],
    [{ "cache-control": 'max-age="300"' }, 300],
    [{ "cache-control": "max-age=100, s-maxage=200" }, 200],
    [{ "cache-control": "max-age=5" }, 60], // raised to the lower bound
    [{ "cache-control": "max-age=31536000" }, 86_400], // capped at 24 h
    [{ "cache-control": "max-age=0" }, 0],
    [{ "cache-control": "no-store, max-age=3600" }, 0], // no-store is honoured
    [{ "cache-control": "no-cache" }, 0],
    [{ "cache-control": "max-age=abc" }, 600], // unusable: the fallback
    [{}, 600],
    [{ expires: "Sun, 06 Dec 2026 11:00:00 GMT", date: "Sun, 06 Dec 2026 10:00:00 GMT" }, 3600],
    [{ expires: "0", date: "Sun, 06 Dec 2026 10:00:00 GMT" }, 0], // invalid Expires = already expired
    [{ "cache-control": "max-age=900", expires: "0" }, 900], // max-age wins over Expires
  ])("%j -> %i s", (headers, expected) => {
    expect(freshnessSeconds(headers, bounds)).toBe(expected);
  });
});
