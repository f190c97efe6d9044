// Rules for registering a redirect URI (RFC 6749 §3.1.2, RFC 8252 §7, RFC 9700 §4.1).
// Returns a plain-words reason when the URI is refused, or null when it is acceptable.
const LOOPBACK_HOSTS = new Set(["127.0.0.1", "[::1]", "localhost"]);
// Schemes that can run code or read local data; never a redirect target.
const DANGEROUS_SCHEMES = new Set(["javascript:", "data:", "file:", "vbscript:", "blob:", "about:"]);

export function isLoopbackRedirect(url: URL): boolean {
  return url.protocol === "http:" && LOOPBACK_HOSTS.has(url.hostname);
}

export function redirectUriProblem(uri: string, opts: { publicClient: boolean }): string | null {
  if (uri.length > 2000) return "is longer than 2000 characters";
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
