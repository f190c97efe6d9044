// Where to send the user after sign-in: only a path on this site, never another origin
// (no open redirect, RFC 9700 §4.11). Anything else falls back to `fallback`.
export function safeCallbackPath(value: unknown, fallback = "/account"): string {
  if (typeof value !== "string" || value.length === 0 || value.length > 2048) return fallback;
  // Must be an absolute path. "//host" and "/\host" are protocol-relative in browsers.
  if (!value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return fallback;
  // Control characters and backslashes can be reinterpreted by browsers; refuse them.
  if (/[\u0000-\u001f\\]/.test(value)) return fallback;
  const base = "http://latchkey.invalid";
  let url: URL;
  try {
    url = new URL(value, base);
  } catch {
    return fallback;
  }
  if (url.origin !== base) return fallback;
  const path = `${url.pathname}${url.search}${url.hash}`;
  // Dot-segments are resolved by the parser ("/a/..//evil" becomes "//evil"): check again.
  if (path.startsWith("//") || path.startsWith("/\\")) return fallback;
  return path;
}
