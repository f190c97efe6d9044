// Rules for registering a redirect URI (RFC 6749 §3.1.2, RFC 8252 §7, RFC 9700 §4.1).
// Returns a plain-words reason when the URI is refused, or null when it is acceptable.
import { hasControlChars } from "./text";

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "[::1]", "localhost"]);
// Schemes that can run code or read local data; never a redirect target.
const DANGEROUS_SCHEMES = new Set(["javascript:", "data:", "file:", "vbscript:", "blob:", "about:"]);

export function isLoopbackRedirect(url: URL): boolean {
  return url.protocol === "http:" && LOOPBACK_HOSTS.has(url.hostname);
}

/** The one redirect URI on this server's own origin that may be registered (the dashboard's "Try it"). */
export function inspectorCallbackUri(issuer: string): string {
  return `${issuer.replace(/\/+$/, "")}/dashboard/inspector/callback`;
}

/**
 * Whether `url` points at the server whose public base URL is `issuer`: same origin, or, for a
 * loopback issuer, any loopback name on the same port (127.0.0.1, [::1] and localhost are one host).
 */
function isOwnOrigin(url: URL, issuer: string): boolean {
  let own: URL;
  try {
    own = new URL(issuer);
  } catch {
    return false;
  }
  if (url.origin === own.origin) return true;
  // "id.example.com." is the same host as "id.example.com" (a fully qualified name).
  const host = (u: URL) => u.hostname.replace(/\.$/, "");
  if (url.protocol === own.protocol && host(url) === host(own) && url.port === own.port) return true;
  return url.protocol === own.protocol && LOOPBACK_HOSTS.has(url.hostname) && LOOPBACK_HOSTS.has(own.hostname) && url.port === own.port;
}

export interface RedirectUriOptions {
  publicClient: boolean;
  /**
   * This server's ISSUER. When given, URIs on its own origin are refused: its endpoints would pass
   * the code on to wherever they redirect (an open redirector, RFC 9700 §4.11), except the
   * dashboard's inspector callback, which consumes the code itself.
   */
  issuer?: string;
}

/** Anything outside printable ASCII: a URI is ASCII (RFC 3986 §2); an IRI (RFC 3987) is not a URI. */
const NON_ASCII = /[^\x20-\x7e]/;

/**
 * `uri` in ASCII as a URL parser writes it: an internationalised host as its A-label (punycode,
 * RFC 5891 §4.4; "bücher.example" -> "xn--bcher-kva.example"), other non-ASCII characters
 * percent-encoded (RFC 3986 §2.1). Unchanged when already ASCII or not parseable.
 */
export function asciiUri(uri: string): string {
  if (!NON_ASCII.test(uri)) return uri;
  try {
    return new URL(uri).href;
  } catch {
    return uri;
  }
}

export function redirectUriProblem(uri: string, opts: RedirectUriOptions): string | null {
  if (uri.length > 2000) return "is longer than 2000 characters";
  if (hasControlChars(uri)) return "must not contain control characters";
  // Refused rather than normalised: redirect URIs are compared as exact strings (RFC 6749
  // §3.1.2, RFC 9700 §4.1.3), so the client must send exactly what is registered; an ASCII
  // registration leaves no two spellings of one address.
  if (NON_ASCII.test(uri)) {
    const ascii = asciiUri(uri);
    return ascii !== uri
      ? `must be written in ASCII: register ${ascii} (an international host name as its punycode A-label, RFC 5891; other characters percent-encoded, RFC 3986)`
      : "must be written in ASCII (percent-encode other characters, RFC 3986)";
  }
  if (uri.includes("*")) return "must not contain wildcards: register each URI exactly";
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return "is not an absolute URI";
  }
  // §3.1.2: the endpoint URI MUST NOT include a fragment component.
  if (uri.includes("#")) return "must not contain a fragment (#)";
  if (url.username || url.password) return "must not contain a user name or password";
  if (DANGEROUS_SCHEMES.has(url.protocol)) return `must not use the ${url.protocol} scheme`;
  if (opts.issuer && (url.protocol === "https:" || url.protocol === "http:") && isOwnOrigin(url, opts.issuer)) {
    // RFC 9700 §4.11: the authorization server must not become an open redirector.
    if (uri !== inspectorCallbackUri(opts.issuer)) return "must not point at this server (it would pass the code on)";
  }
  if (url.protocol === "https:") return url.hostname ? null : "must name a host";
  if (url.protocol === "http:") {
    // RFC 8252 §7.3 / §8.3: plain http only for loopback redirects of native apps.
    return isLoopbackRedirect(url) ? null : "must use https (http is allowed only for 127.0.0.1, [::1] or localhost)";
  }
  // RFC 8252 §7.1: private-use URI schemes, for native apps only, in reverse-domain form.
  if (!opts.publicClient) return "must use https for a confidential (server) client";
  if (!url.protocol.slice(0, -1).includes(".")) {
    return "uses a private-use scheme that is not in reverse-domain form (e.g. com.example.app:/callback)";
  }
  return null;
}
