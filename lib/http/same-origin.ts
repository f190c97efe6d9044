// Is this POST from one of our own pages? For portal endpoints that act on the session cookie
// outside a server action (which Next checks itself), e.g. "Download my data": a page on another
// site must not be able to make the browser post there (cross-site request forgery). The
// Origin header (RFC 6454 §7; the Fetch standard sends it on every POST, and our
// Referrer-Policy same-origin keeps it a real origin) must be the issuer's; a request without
// one counts only when the browser says Sec-Fetch-Site: same-origin (Fetch Metadata).
export function isSameOriginPost(headers: { get(name: string): string | null }, issuer: string): boolean {
  const origin = headers.get("origin");
  if (origin !== null) return origin === new URL(issuer).origin;
  return headers.get("sec-fetch-site") === "same-origin";
}
