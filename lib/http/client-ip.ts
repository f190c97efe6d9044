// The caller's IP address. Our server (scripts/start.ts) overwrites `x-latchkey-client-ip` with
// the socket's address on every request, so a client cannot forge it.
//
// Behind reverse proxies (TRUST_PROXY), X-Forwarded-For is a list each proxy appends to: the
// client can write anything on its left, and only the entries appended by proxies we trust are
// true. So the address is found by walking from the right, starting at the socket's address,
// past trusted proxies, and taking the first address that is not one (as Express's proxy-addr
// does; MDN "X-Forwarded-For", "Security and privacy concerns"; RFC 7239 §5.2 for the idea):
//   TRUST_PROXY=false (default)  the socket's address; X-Forwarded-For is ignored
//   TRUST_PROXY=N (1, 2, …)      N proxies in front: skip N hops (true = 1, kept for compatibility)
//   TRUST_PROXY=10.0.0.0/8,::1   the proxies' addresses or CIDR ranges: skip hops while they match
// A hop that is not an IP address ends the walk at the last good one.
import ipaddr from "ipaddr.js";

export const CLIENT_IP_HEADER = "x-latchkey-client-ip";

type HeaderBag = Headers | Record<string, string | string[] | undefined>;

export type TrustProxy =
  | { kind: "none" }
  | { kind: "hops"; hops: number }
  | { kind: "list"; ranges: [ipaddr.IPv4 | ipaddr.IPv6, number][] };

export class TrustProxyError extends Error {}

const MAX_HOPS = 20;

/** Parses TRUST_PROXY; throws TrustProxyError with a message saying what to set. */
export function parseTrustProxy(value: string | undefined): TrustProxy {
  const v = (value ?? "").trim();
  if (v === "" || v === "false" || v === "0") return { kind: "none" };
  if (v === "true") return { kind: "hops", hops: 1 };
  if (/^\d+$/.test(v)) {
    const hops = Number(v);
    if (hops > MAX_HOPS) throw new TrustProxyError(`TRUST_PROXY: at most ${MAX_HOPS} hops, got ${v}`);
    return { kind: "hops", hops };
  }
  const ranges: [ipaddr.IPv4 | ipaddr.IPv6, number][] = [];
  for (const part of v.split(",").map((p) => p.trim())) {
    try {
      if (part.includes("/")) ranges.push(ipaddr.parseCIDR(part));
      else {
        const a = ipaddr.parse(part);
        ranges.push([a, a.kind() === "ipv4" ? 32 : 128]);
      }
    } catch {
      throw new TrustProxyError(
        `TRUST_PROXY: "${part}" is not an IP address or CIDR range. Use false, a number of proxies (e.g. 1), ` +
          "or a comma-separated list of the proxies' addresses or ranges (e.g. 10.0.0.0/8,192.0.2.10)",
      );
    }
  }
  return { kind: "list", ranges };
}

/** A dotted-quad IPv4 address in its usual form (no leading zeros): already normalized. */
export const USUAL_IPV4 = /^(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** The address in its usual form (IPv4-mapped IPv6 as IPv4), or null when it is not one. */
function normalize(s: string | undefined): string | null {
  const v = s?.trim();
  if (!v) return null;
  // The common case without a parse (the rate limits read the address on every token request).
  if (USUAL_IPV4.test(v)) return v;
  if (!ipaddr.isValid(v)) return null;
  const a = ipaddr.process(v);
  return a.toString();
}

function trusted(addr: string, t: Extract<TrustProxy, { kind: "list" }>): boolean {
  const a = ipaddr.process(addr);
  return t.ranges.some(([range, bits]) => range.kind() === a.kind() && a.match(range, bits));
}

function header(h: HeaderBag, name: string): string | undefined {
  if (h instanceof Headers) return h.get(name) ?? undefined;
  const v = h[name];
  return Array.isArray(v) ? v.join(",") : v;
}

/** The client's address under an explicit TRUST_PROXY setting (pure; see the file comment). */
export function clientIpFrom(headers: HeaderBag, trust: TrustProxy): string | null {
  const socket = normalize(header(headers, CLIENT_IP_HEADER));
  if (trust.kind === "none" || !socket) return socket;
  // Nearest first: the socket's peer, then X-Forwarded-For from the right.
  const forwarded = (header(headers, "x-forwarded-for") ?? "").split(",").reverse();
  let current = socket;
  for (let hop = 0; hop < forwarded.length; hop++) {
    const isProxy = trust.kind === "hops" ? hop < trust.hops : trusted(current, trust);
    if (!isProxy) return current;
    const next = normalize(forwarded[hop]);
    if (!next) return current;
    current = next;
  }
  return current;
}

let cached: { raw: string | undefined; trust: TrustProxy } | undefined;

/** The client's address under the TRUST_PROXY of this process (validated at start-up by lib/config). */
export function clientIp(headers: HeaderBag): string | null {
  const raw = process.env.TRUST_PROXY;
  if (!cached || cached.raw !== raw) cached = { raw, trust: parseTrustProxy(raw) };
  return clientIpFrom(headers, cached.trust);
}
