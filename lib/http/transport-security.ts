// Response headers that depend on the configuration or on the request, set by our own server
// (scripts/start.ts via lib/http/server.ts) on every response, the lean protocol router's and
// Next's alike. The fixed ones are in security-headers.mjs.
import { randomBytes } from "node:crypto";

/**
 * RFC 6797 §6.1: Strict-Transport-Security, only when the public URL (ISSUER) is https. Sent
 * over plain http it would be ignored at best (§7.2: UAs MUST ignore it over non-secure
 * transport) and would pin a development host to https at worst, so an http issuer gets none.
 * One year, subdomains included (§6.1.1, §6.1.2).
 */
export function hstsHeader(issuer: string): string | null {
  try {
    return new URL(issuer).protocol === "https:" ? "max-age=31536000; includeSubDomains" : null;
  } catch {
    return null;
  }
}

/** A fresh CSP nonce: 128 random bits, base64 (CSP3 §2.3.1 nonce-source). */
export function newNonce(): string {
  return randomBytes(16).toString("base64");
}

/**
 * The Content-Security-Policy of the portal's pages (CSP Level 3):
 * - script-src: only scripts carrying this response's nonce (Next puts it on every script it
 *   renders, reading it from the request's CSP header); 'strict-dynamic' lets those load
 *   Next's chunks. 'unsafe-eval' only in development (React's dev tooling needs eval).
 * - object-src 'none', base-uri 'none': no plugins; no <base> that re-points relative URLs.
 * - frame-ancestors 'none': never framed (RFC 6749 §10.13, clickjacking the consent screen).
 * - No form-action: the consent decision and RP-initiated logout are same-origin POSTs that
 *   answer with a redirect to the client's registered URI (RFC 6749 §4.1.2), and Chromium
 *   applies form-action to the redirects of a form submission, so 'self' would block them
 *   (without JavaScript, the consent form is a plain navigation).
 */
export function pageCsp(nonce: string, dev = false): string {
  return [
    `script-src 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
}
