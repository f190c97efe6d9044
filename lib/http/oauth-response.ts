// The one place that turns protocol results and OAuth errors into HTTP responses.
import { logError } from "../log/safe-log";
import { InvalidClient, OAuthError } from "../oauth/errors";
import type { LiteRequest } from "./form";

// RFC 6749 §5.1: responses with tokens or credentials MUST be no-store.
export const NO_STORE = { "Cache-Control": "no-store", Pragma: "no-cache" } as const;

/**
 * A response as plain data. The lean node:http router writes it directly (no Web Response on
 * the token endpoint's hot path); toResponse() makes the Web Response the app/ routes return.
 */
export interface LiteResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

// An empty body is no body (a redirect): a Web Response given "" would add a text/plain Content-Type.
export const toResponse = (r: LiteResponse): Response => new Response(r.body === "" ? null : r.body, { status: r.status, headers: r.headers });

/** The Web handler an app/ route file exports, carrying its lite form for the lean router. */
export const withLite = (lite: (req: LiteRequest) => Promise<LiteResponse>) =>
  Object.assign(async (req: Request): Promise<Response> => toResponse(await lite(req)), { lite });

export function jsonLite(body: unknown, status = 200, headers: Record<string, string> = {}): LiteResponse {
  return {
    status,
    headers: { "Content-Type": "application/json; charset=utf-8", ...NO_STORE, ...headers },
    body: JSON.stringify(body),
  };
}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return toResponse(jsonLite(body, status, headers));
}

/** RFC 6750 §3: the WWW-Authenticate value for a bearer-token error. */
export function bearerChallenge(err?: OAuthError): string {
  if (!err) return 'Bearer realm="latchkey"';
  const desc = err.description; // already limited to the RFC 6750 §3 character set
  return `Bearer realm="latchkey", error="${err.error}", error_description="${desc}"`;
}

/**
 * RFC 6749 §5.2 error response. Anything that is not an OAuthError is a server_error whose
 * detail is logged, never sent.
 */
export function oauthError(err: unknown, opts: { bearer?: boolean } = {}): Response {
  return toResponse(oauthErrorLite(err, opts));
}

export function oauthErrorLite(err: unknown, opts: { bearer?: boolean } = {}): LiteResponse {
  if (!(err instanceof OAuthError)) {
    logError("Unexpected error in an OAuth endpoint:", err);
    return jsonLite({ error: "server_error", error_description: "The server could not complete the request." }, 500);
  }
  const headers: Record<string, string> = {};
  // RFC 6749 §5.2: 401 + WWW-Authenticate matching the scheme the client used.
  if (err instanceof InvalidClient && err.usedBasicAuth) headers["WWW-Authenticate"] = 'Basic realm="latchkey"';
  if (opts.bearer && (err.status === 401 || err.status === 403)) headers["WWW-Authenticate"] = bearerChallenge(err);
  return jsonLite({ error: err.error, error_description: err.description }, err.status, headers);
}
