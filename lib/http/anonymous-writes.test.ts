// The in-memory cap on anonymous writes: count first, then check; per address (IPv6 per /64);
// a fresh budget each minute; a bounded table.
import { describe, expect, it } from "vitest";
import { RateLimiter } from "../ratelimit/limiter";
import { AnonymousWriteLimit, addressKey } from "./anonymous-writes";

describe("addressKey", () => {
  it("an IPv4 address is its own key; IPv6 addresses share their /64", () => {
    expect(addressKey("203.0.113.7")).toBe("203.0.113.7");
    expect(addressKey("::ffff:203.0.113.7")).toBe("203.0.113.7");
    expect(addressKey("2001:db8:1:2:aaaa:bbbb:cccc:dddd")).toBe("2001:db8:1:2::/64");
    expect(addressKey("2001:0db8:0001:0002::1")).toBe("2001:db8:1:2::/64");
    expect(addressKey("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(addressKey("::1")).toBe("0:0:0:0::/64");
    expect(addressKey(null)).toBe("unknown");
  });
});

describe("AnonymousWriteLimit", () => {
  const T0 = 1_800_000_000_000; // on a minute boundary
  it("allows perMinute writes per address, refuses the next with the seconds left in the window", () => {
    let now = T0 + 15_000;
    const limit = new AnonymousWriteLimit(3, new RateLimiter(null, { syncMs: 1000, now: () => now }));
    expect([limit.take("198.51.100.1"), limit.take("198.51.100.1"), limit.take("198.51.100.1")]).toEqual([null, null, null]);
    expect(limit.take("198.51.100.1")).toBe(45);
    // Another address has its own budget; a refused attempt still counts.
    expect(limit.take("198.51.100.2")).toBeNull();
    now = T0 + 59_500;
    expect(limit.take("198.51.100.1")).toBe(1);
    // The next minute starts afresh.
    now = T0 + 60_000;
    expect(limit.take("198.51.100.1")).toBeNull();
  });

  it("addresses of one IPv6 /64 share a budget", () => {
    const limit = new AnonymousWriteLimit(2, new RateLimiter(null, { syncMs: 1000, now: () => T0 }));
    expect(limit.take("2001:db8:1:2::a")).toBeNull();
    expect(limit.take("2001:db8:1:2::b")).toBeNull();
    expect(limit.take("2001:db8:1:2::c")).toBe(60);
    expect(limit.take("2001:db8:1:3::a")).toBeNull();
  });

  it("beyond 100,000 addresses in a window, new addresses share one budget", () => {
    const limit = new AnonymousWriteLimit(1, new RateLimiter(null, { syncMs: 1000, now: () => T0 }));
    for (let i = 0; i < 100_000; i++) limit.take(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
    expect(limit.take("192.0.2.1")).toBeNull(); // the shared budget's first write
    expect(limit.take("192.0.2.2")).toBe(60);
    expect(limit.take("10.0.0.0")).toBe(60); // a tracked address keeps its own count
  });
});
