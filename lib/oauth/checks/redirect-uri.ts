// Check (2): where to send the user back. Failing here is an error page too, never a redirect
// (RFC 6749 §4.1.2.1, §10.6; RFC 9700 §4.1).
//  - redirect_uri must equal one registered URI by simple string comparison (RFC 9700 §4.1.3);
//  - except that a public (native) client's loopback redirect may use any port: the app picks
//    a free port at run time (RFC 8252 §7.3). Everything but the port must still match.
//  - it may be omitted only when the client registered exactly one (RFC 6749 §3.1.2.3).
import { InvalidAuthorizationTarget } from "../errors";
import { isLoopbackRedirect } from "../redirect-uri";
import { isPublicClient, type OAuthClient } from "../types";
import { values, type RawParams } from "./params";

export interface RedirectTarget {
  redirectUri: string;
  /** Whether redirect_uri was in the request: then the token request must repeat it (RFC 6749 §4.1.3). */
  redirectUriGiven: boolean;
}

// http://<loopback host>[:port] followed by the path, query or nothing.
const LOOPBACK_PREFIX = /^http:\/\/(127\.0\.0\.1|\[::1\]|localhost)(?::(\d{1,5}))?(?=[/?]|$)/;

/** The URI without its port, as host + rest, when it is an http loopback URI; else null. */
function withoutPort(uri: string): { host: string; rest: string } | null {
  const m = LOOPBACK_PREFIX.exec(uri);
  if (!m) return null;
  if (m[2] !== undefined && (Number(m[2]) < 1 || Number(m[2]) > 65535)) return null;
  try {
    if (!isLoopbackRedirect(new URL(uri))) return null;
  } catch {
    return null;
  }
  return { host: m[1]!, rest: uri.slice(m[0].length) };
}

/** RFC 8252 §7.3: same loopback host, same path and query, any port. */
export function loopbackMatches(registered: string, given: string): boolean {
  const r = withoutPort(registered);
  const g = withoutPort(given);
  return r !== null && g !== null && r.host === g.host && r.rest === g.rest;
}

const notRegistered = (uri: string, client: OAuthClient) =>
  new InvalidAuthorizationTarget(
    "Unregistered redirect address",
    "The application asked to send you back to an address it has not registered with Latchkey, so Latchkey will not send you there. Go back to the app and contact its developer.",
    `redirect_uri ${uri.slice(0, 300)} does not match any registered URI: you registered ${client.redirectUris.join(", ") || "none"}`,
    // Public: the registered URIs are listed only in the owner's dashboard.
    `redirect_uri "${uri.slice(0, 300)}" does not exactly match any of the ${client.redirectUris.length} redirect URIs registered for client_id "${client.clientId}". ` +
      "Redirect URIs are compared as exact strings (RFC 6749 §3.1.2.2, RFC 9700 §4.1.3): register this one or send a registered one.",
  );

export function checkRedirectUri(raw: RawParams, client: OAuthClient): RedirectTarget {
  const given = values(raw, "redirect_uri");
  if (given.length > 1) {
    throw new InvalidAuthorizationTarget(
      "Invalid request",
      "The request names more than one redirect address (redirect_uri is repeated). Go back to the app and try again.",
      `redirect_uri appears ${given.length} times; a parameter must not be repeated (RFC 6749 §3.1).`,
    );
  }
  const uri = given[0];
  if (uri === undefined) {
    const only = client.redirectUris.length === 1 ? client.redirectUris[0] : undefined;
    if (only !== undefined) return { redirectUri: only, redirectUriGiven: false };
    throw new InvalidAuthorizationTarget(
      "Missing redirect address",
      "The application did not say where to send you back (redirect_uri is missing). Go back to the app and contact its developer.",
      `redirect_uri is missing and client_id "${client.clientId}" has ${client.redirectUris.length} registered redirect URIs; ` +
        "it may be left out only when exactly one is registered (RFC 6749 §3.1.2.3).",
    );
  }
  if (client.redirectUris.includes(uri)) return { redirectUri: uri, redirectUriGiven: true };
  if (isPublicClient(client) && client.redirectUris.some((r) => loopbackMatches(r, uri))) {
    return { redirectUri: uri, redirectUriGiven: true };
  }
  throw notRegistered(uri, client);
}
