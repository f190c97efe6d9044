// The caller's IP address. Our server (scripts/start.ts) overwrites `x-latchkey-client-ip` with
// the socket's address on every request, so a client cannot forge it; behind a reverse proxy,
// TRUST_PROXY=true takes the first X-Forwarded-For entry instead.
export const CLIENT_IP_HEADER = "x-latchkey-client-ip";

type HeaderBag = Headers | Record<string, string | string[] | undefined>;

function header(h: HeaderBag, name: string): string | undefined {
  if (h instanceof Headers) return h.get(name) ?? undefined;
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
}

export function clientIp(headers: HeaderBag): string | null {
  if (process.env.TRUST_PROXY === "true") {
    const xff = header(headers, "x-forwarded-for")?.split(",")[0]?.trim();
    if (xff) return xff;
  }
  return header(headers, CLIENT_IP_HEADER) ?? null;
}
