// A cap on anonymous requests that write a row: a parked authorization request (GET/POST
// /oauth/authorize without a session) and open dynamic registration. Without it, anyone could
// add rows at request rate (docs/architecture.md, "The anonymous write cap"). Counted in memory, per
// instance, in fixed one-minute windows: these are hot paths, and a database write per request
// to count them would cost more than the row it protects against. With N instances behind a
// balancer an address gets up to N times the limit; the purge bounds how long the rows stay.
import ipaddr from "ipaddr.js";
import { clientIp, CLIENT_IP_HEADER } from "./client-ip";

const WINDOW_MS = 60_000;
/** Addresses tracked per window; beyond that, new addresses share one budget. */
const MAX_ADDRESSES = 100_000;

/**
 * The budget an address draws on: an IPv4 address, or an IPv6 address's /64 (one subscriber
 * usually has a whole /64, so counting single IPv6 addresses would cap nothing).
 */
export function addressKey(ip: string | null): string {
  if (!ip) return "unknown";
  if (!ipaddr.isValid(ip)) return ip;
  const addr = ipaddr.process(ip); // an IPv4-mapped IPv6 address becomes its IPv4 address
  if (addr.kind() === "ipv4") return addr.toString();
  return `${(addr as ipaddr.IPv6).parts.slice(0, 4).map((p) => p.toString(16)).join(":")}::/64`;
}

export class AnonymousWriteLimit {
  private window = -1;
  private counts = new Map<string, number>();

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Counts one write for the address first, then checks it: null when it is within the limit,
   * else the seconds until the window ends (for Retry-After).
   */
  take(ip: string | null): number | null {
    const t = this.now();
    const window = Math.floor(t / WINDOW_MS);
    if (window !== this.window) {
      this.window = window;
      this.counts.clear();
    }
    let key = addressKey(ip);
    if (!this.counts.has(key) && this.counts.size >= MAX_ADDRESSES) key = "overflow";
    const n = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, n);
    if (n <= this.perMinute) return null;
    return Math.max(1, Math.ceil(((window + 1) * WINDOW_MS - t) / 1000));
  }
}

/** The caller's address from a request's headers (the lean router's or a Web Request's). */
export function requestIp(headers: { get(name: string): string | null }): string | null {
  return clientIp({
    [CLIENT_IP_HEADER]: headers.get(CLIENT_IP_HEADER) ?? undefined,
    "x-forwarded-for": headers.get("x-forwarded-for") ?? undefined,
  });
}
