// Headers on every response, from Next (next.config.js) and from the protocol endpoints
// (lib/http/endpoint.ts's writeHeaders, in the lean router and the app/ route files) alike: no
// framing (consent and sign-in pages must not be clickjacked, RFC 6749 §10.13), no MIME
// sniffing, no referrer leaking codes or state.
export const SECURITY_HEADERS = [
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Content-Security-Policy", value: "frame-ancestors 'none'" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  // same-origin: no Referer at all to any other origin, so the code, state or a consent
  // request id in our URLs never reach a client's site, its logo host or an analytics script
  // (RFC 6749 §10.6, RFC 9700 §4.2.4). Unlike no-referrer it lets the browser send a real
  // `Origin` on our own same-origin POSTs (Fetch "serializing a request origin": no-referrer
  // makes it `null`), which Next's server actions require: under no-referrer every form posted
  // before hydration or without JavaScript was refused with a 500. strict-origin-when-cross-origin
  // would also work, but would hand our origin to every site a user follows a link to.
  { key: "Referrer-Policy", value: "same-origin" },
];
