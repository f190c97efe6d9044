// How long a fetched response may be reused (RFC 9111 §4.2.1), within the caller's bounds.
// Used for Client ID Metadata Documents: the draft (§4.2) says to respect HTTP caching headers
// and allows the server its own lower and upper bounds.
// - `no-store` or `no-cache` (RFC 9111 §5.2.2.5, §5.2.2.4): not reused at all (0);
// - `max-age=N` (§5.2.2.1; `s-maxage` first, §5.2.2.10, since the server's cache is shared by all
//   its users), else `Expires` minus `Date` (§5.3);
// - neither: `fallbackSeconds` (a heuristic lifetime, §4.2.2);
// - any positive lifetime is clamped into [minSeconds, maxSeconds].

export interface FreshnessBounds {
  minSeconds: number;
  maxSeconds: number;
  fallbackSeconds: number;
}

function directives(cacheControl: string): Map<string, string | null> {
  const out = new Map<string, string | null>();
  for (const part of cacheControl.split(",")) {
    const [name, ...rest] = part.split("=");
    const key = name!.trim().toLowerCase();
    if (!key) continue;
    const value = rest.length ? rest.join("=").trim().replace(/^"(.*)"$/, "$1") : null;
    if (!out.has(key)) out.set(key, value); // RFC 9111 §4.2.1: the first of duplicates
  }
  return out;
}

const seconds = (v: string | null | undefined): number | null => (v != null && /^\d+$/.test(v) ? Number(v) : null);

/** Seconds the response may be served from the cache; 0 = do not keep it. */
export function freshnessSeconds(headers: Record<string, string | undefined>, bounds: FreshnessBounds): number {
  const cc = directives(headers["cache-control"] ?? "");
  if (cc.has("no-store") || cc.has("no-cache")) return 0;
  let lifetime = seconds(cc.get("s-maxage")) ?? seconds(cc.get("max-age"));
  if (lifetime === null && headers.expires !== undefined) {
    const expires = Date.parse(headers.expires);
    const date = headers.date !== undefined ? Date.parse(headers.date) : Number.NaN;
    // §5.3: an invalid Expires means "already expired".
    lifetime = Number.isNaN(expires) ? 0 : Math.max(0, Math.floor((expires - (Number.isNaN(date) ? Date.now() : date)) / 1000));
  }
  if (lifetime === null) lifetime = bounds.fallbackSeconds;
  if (lifetime <= 0) return 0;
  return Math.min(bounds.maxSeconds, Math.max(bounds.minSeconds, lifetime));
}
