// A cap on anonymous requests that write a row: a parked authorization request (GET/POST
// /oauth/authorize without a session) and open dynamic registration. Without it, anyone could
// add rows at request rate (docs/architecture.md, "The anonymous write cap"). Counted in fixed
// one-minute windows on the rate limiter (lib/ratelimit/limiter.ts): decided in memory (these are
// hot paths, and a database write per request to count them would cost more than the row it
// protects against), and merged with the other instances' counts in the background, so the cap
// holds across instances up to the limiter's overshoot bound. The purge bounds how long the rows stay.
import ipaddr from "ipaddr.js";
import { clientIp, CLIENT_IP_HEADER, USUAL_IPV4 } from "./client-ip";
import type { RateLimiter } from "../ratelimit/limiter";

const WINDOW_MS = 60_000;

/**
 * The budget an address draws on: an IPv4 address, or an IPv6 address's /64 (one subscriber
 * usually has a whole /64, so counting single IPv6 addresses would cap nothing).
 */
export function addressKey(ip: string | null): string {
  if (!ip) return "unknown";
  // The common case without a parse: clientIp() gives IPv4 addresses in their usual form.
  if (USUAL_IPV4.test(ip)) return ip;
  if (!ipaddr.isValid(ip)) return ip;
  const addr = ipaddr.process(ip); // an IPv4-mapped IPv6 address becomes its IPv4 address
  if (addr.kind() === "ipv4") return addr.toString();
  return `${(addr as ipaddr.IPv6).parts.slice(0, 4).map((p) => p.toString(16)).join(":")}::/64`;
}

export class AnonymousWriteLimit {
  /**
   * `perMinute` writes per address and minute, counted on `limiter` under `kind` (one kind per
   * cap: registrations and metadata-document fetches have budgets of their own).
   */
  constructor(
    private readonly perMinute: number,
    private readonly limiter: RateLimiter,
    private readonly kind = "anonymous-writes",
  ) {}

  /**
   * Counts one write for the address first, then checks it: null when it is within the limit,
   * else the seconds until the window ends (for Retry-After). Beyond the limiter's table size,
   * new addresses share one budget.
   */
  take(ip: string | null): number | null {
    return this.limiter.hit(this.kind, addressKey(ip), this.perMinute, WINDOW_MS);
  }
}

/** The caller's address from a request's headers (the lean router's or a Web Request's). */
export function requestIp(headers: { get(name: string): string | null }): string | null {
  return clientIp({
    [CLIENT_IP_HEADER]: headers.get(CLIENT_IP_HEADER) ?? undefined,
    "x-forwarded-for": headers.get("x-forwarded-for") ?? undefined,
  });
}
