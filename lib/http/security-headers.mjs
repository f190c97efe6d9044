// Headers on every response, from Next (next.config.js) and from the lean protocol server
// (lib/http/node-adapter.ts) alike: no framing (consent and sign-in pages must not be
// clickjacked, RFC 6749 §10.13), no MIME sniffing, no referrer leaking codes or state.
export const SECURITY_HEADERS = [
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Content-Security-Policy", value: "frame-ancestors 'none'" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "no-referrer" },
];
