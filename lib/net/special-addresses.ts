// Which IP addresses an outbound fetch on behalf of an anonymous caller may connect to.
// draft-ietf-oauth-client-id-metadata-document §6.6 (SSRF): the server MUST NOT fetch a URL that
// resolves to a special-use address (RFC 6890). Only global unicast passes: loopback, private
// (RFC 1918), carrier-grade NAT, link-local, unique-local (fc00::/7), multicast, unspecified,
// broadcast, documentation and reserved ranges, and IPv6 forms that embed or tunnel an IPv4
// address (IPv4-mapped ::ffff:0:0/96 is judged by the IPv4 address inside; NAT64, 6to4 and
// Teredo are refused, since the IPv4 address they reach is not checked). ipaddr.js names the ranges.
import ipaddr from "ipaddr.js";

export type AddressVerdict = { ok: true } | { ok: false; range: string };

/** Whether `ip` (a literal IPv4 or IPv6 address) is a public, global unicast address. */
export function classifyAddress(ip: string): AddressVerdict {
  if (!ipaddr.isValid(ip)) return { ok: false, range: "invalid" };
  let addr = ipaddr.parse(ip);
  if (addr.kind() === "ipv6" && (addr as ipaddr.IPv6).isIPv4MappedAddress()) addr = (addr as ipaddr.IPv6).toIPv4Address();
  const range = addr.range();
  if (range !== "unicast") return { ok: false, range };
  // IPv6: only the global unicast block 2000::/3 is routed on the internet.
  if (addr.kind() === "ipv6" && !(addr as ipaddr.IPv6).match(ipaddr.parseCIDR("2000::/3"))) return { ok: false, range: "reserved" };
  return { ok: true };
}
