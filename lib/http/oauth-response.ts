// The one place that turns protocol results and OAuth errors into responses.
import { isDatabaseUnavailable } from "../db/errors";
import { InvalidClient, OAuthError, TemporarilyUnavailable, TooManyRequests } from "../oauth/errors";
import type { PlainResponse } from "./endpoint";

// RFC 6749 §5.1: responses with tokens or credentials MUST be no-store.
export const NO_STORE = { "Cache-Control": "no-store", Pragma: "no-cache" } as const;

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): PlainResponse {
  return {
    status,
    headers: { "Content-Type": "application/json; charset=utf-8", ...NO_STORE, ...headers },
    body: JSON.stringify(body),
  };
}

/** RFC 6750 §3: the WWW-Authenticate value for a bearer-token error. */
export function bearerChallenge(err?: OAuthError): string {
  if (!err) return 'Bearer realm="latchkey"';
  const desc = err.description; // already limited to the RFC 6750 §3 character set
  return `Bearer realm="latchkey", error="${err.error}", error_description="${desc}"`;
}

/**
 * RFC 6749 §5.2 error response. Anything that is not an OAuthError is a server_error whose
 * detail goes to the log with its stack (as the response's `fault`, by whoever serves it: the
 * request listener, or web-handler.ts under `next dev`), never to the client.
 */
export function oauthError(err: unknown, opts: { bearer?: boolean } = {}): PlainResponse {
  // lib/db turns a database that is away into TemporarilyUnavailable; this catches one that escaped.
  if (!(err instanceof OAuthError) && isDatabaseUnavailable(err)) err = new TemporarilyUnavailable();
  if (!(err instanceof OAuthError)) {
    const r = json({ error: "server_error", error_description: "The server could not complete the request." }, 500);
    r.error = "server_error";
    r.fault = err;
    return r;
  }
  const headers: Record<string, string> = {};
  // RFC 6749 §5.2: 401 + WWW-Authenticate matching the scheme the client used.
  if (err instanceof InvalidClient && err.usedBasicAuth) headers["WWW-Authenticate"] = 'Basic realm="latchkey"';
  // RFC 6585 §4: a 429 MAY say how long to wait; ours always does (RFC 9110 §10.2.3).
  if (err instanceof TooManyRequests) headers["Retry-After"] = String(err.retryAfterSeconds);
  if (opts.bearer && (err.status === 401 || err.status === 403)) headers["WWW-Authenticate"] = bearerChallenge(err);
  // RFC 9110 §10.2.3: when to try again after a 503.
  if (err instanceof TemporarilyUnavailable) headers["Retry-After"] = String(err.retryAfterSeconds);
  const r = json({ error: err.error, error_description: err.description }, err.status, headers);
  r.error = err.error;
  return r;
}
