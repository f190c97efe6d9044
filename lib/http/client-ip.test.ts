// The client's address behind trusted proxies: exact results for forged and real headers.
import { afterEach, describe, expect, it } from "vitest";
import { CLIENT_IP_HEADER, clientIp, clientIpFrom, parseTrustProxy, TrustProxyError } from "./client-ip";

const req = (socket: string, xff?: string) => ({
  [CLIENT_IP_HEADER]: socket,
  ...(xff === undefined ? {} : { "x-forwarded-for": xff }),
});

describe("parseTrustProxy", () => {
  it("false, empty and 0 trust nobody; true is one hop; a number is that many hops", () => {
    expect(parseTrustProxy(undefined)).toStrictEqual({ kind: "none" });
    expect(parseTrustProxy("false")).toStrictEqual({ kind: "none" });
    expect(parseTrustProxy("0")).toStrictEqual({ kind: "none" });
    expect(parseTrustProxy("true")).toStrictEqual({ kind: "hops", hops: 1 });
    expect(parseTrustProxy("2")).toStrictEqual({ kind: "hops", hops: 2 });
  });

  it("a list of addresses and CIDR ranges, IPv4 and IPv6", () => {
    const t = parseTrustProxy("10.0.0.0/8, 192.0.2.10,::1,2001:db8::/32");
    expect(t.kind).toBe("list");
    if (t.kind !== "list") throw new Error("unreachable");
    expect(t.ranges.map(([a, bits]) => `${a.toString()}/${bits}`)).toEqual([
      "10.0.0.0/8",
      "192.0.2.10/32",
      "::1/128",
      "2001:db8::/32",
    ]);
  });

  it("anything else is refused with a message naming the variable", () => {
    for (const bad of ["yes", "10.0.0.0/33", "proxy.example.com", "10.0.0.1,", "999.1.1.1", "21"]) {
      expect(() => parseTrustProxy(bad), bad).toThrow(TrustProxyError);
      expect(() => parseTrustProxy(bad), bad).toThrow(/^TRUST_PROXY: /);
    }
  });
});

describe("clientIpFrom", () => {
  it("TRUST_PROXY=false: the socket's address; X-Forwarded-For is ignored", () => {
    expect(clientIpFrom(req("203.0.113.9", "1.2.3.4"), parseTrustProxy("false"))).toBe("203.0.113.9");
  });

  it("one trusted hop, a forged header: the address the proxy saw, not the client's leftmost entry", () => {
    // The client sent "X-Forwarded-For: 6.6.6.6"; the proxy (10.0.0.2) appended the real peer.
    const r = req("10.0.0.2", "6.6.6.6, 198.51.100.7");
    expect(clientIpFrom(r, parseTrustProxy("1"))).toBe("198.51.100.7");
    expect(clientIpFrom(r, parseTrustProxy("true"))).toBe("198.51.100.7");
    expect(clientIpFrom(r, parseTrustProxy("10.0.0.0/8"))).toBe("198.51.100.7");
  });

  it("two hops: the address the outer proxy saw", () => {
    const r = req("10.0.0.2", "6.6.6.6, 198.51.100.7, 10.0.0.5");
    expect(clientIpFrom(r, parseTrustProxy("2"))).toBe("198.51.100.7");
    expect(clientIpFrom(r, parseTrustProxy("10.0.0.0/8"))).toBe("198.51.100.7");
  });

  it("a list: a request straight from an untrusted peer keeps the peer's address, whatever it claims", () => {
    expect(clientIpFrom(req("203.0.113.9", "10.0.0.1"), parseTrustProxy("10.0.0.0/8"))).toBe("203.0.113.9");
  });

  it("no X-Forwarded-For: the socket's address", () => {
    expect(clientIpFrom(req("10.0.0.2"), parseTrustProxy("1"))).toBe("10.0.0.2");
  });

  it("a hop that is not an address ends the walk at the last good one", () => {
    expect(clientIpFrom(req("10.0.0.2", "198.51.100.7, garbage"), parseTrustProxy("2"))).toBe("10.0.0.2");
    expect(clientIpFrom(req("10.0.0.2", "not-an-ip"), parseTrustProxy("10.0.0.0/8"))).toBe("10.0.0.2");
  });

  it("more hops configured than present: the leftmost address", () => {
    expect(clientIpFrom(req("10.0.0.2", "198.51.100.7"), parseTrustProxy("3"))).toBe("198.51.100.7");
  });

  it("IPv4-mapped IPv6 is matched and reported as IPv4; IPv6 proxies match IPv6 ranges", () => {
    expect(clientIpFrom(req("::ffff:10.0.0.2", "198.51.100.7"), parseTrustProxy("10.0.0.0/8"))).toBe("198.51.100.7");
    expect(clientIpFrom(req("2001:db8::1", "2001:db8:ffff::9, 2001:db9::5"), parseTrustProxy("2001:db8::/32"))).toBe("2001:db9::5");
  });

  it("no socket address: null", () => {
    expect(clientIpFrom({}, parseTrustProxy("1"))).toBeNull();
  });
});

describe("clientIp (this process's TRUST_PROXY)", () => {
  const saved = process.env.TRUST_PROXY;
  afterEach(() => {
    if (saved === undefined) delete process.env.TRUST_PROXY;
    else process.env.TRUST_PROXY = saved;
  });

  it("follows TRUST_PROXY, including Headers objects (server actions) and a forged header", () => {
    const h = new Headers({ [CLIENT_IP_HEADER]: "10.0.0.2", "x-forwarded-for": "6.6.6.6, 198.51.100.7" });
    delete process.env.TRUST_PROXY;
    expect(clientIp(h)).toBe("10.0.0.2");
    process.env.TRUST_PROXY = "true";
    expect(clientIp(h)).toBe("198.51.100.7");
    process.env.TRUST_PROXY = "10.0.0.0/8";
    expect(clientIp(h)).toBe("198.51.100.7");
    process.env.TRUST_PROXY = "192.0.2.1";
    expect(clientIp(h)).toBe("10.0.0.2");
  });
});
