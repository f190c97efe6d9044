// The authorization response to the client (RFC 6749 §4.1.2, §4.1.2.1; OIDC Core §3.2.2.5) and
// how it travels (OAuth 2.0 Multiple Response Type Encoding Practices §2.1, OAuth 2.0 Form Post
// Response Mode §2): in the redirect URI's query, in its fragment, or as a form the browser posts
// to it. The core builds the response; lib/http turns it into a redirect or a form_post page.
import { asciiUri } from "./redirect-uri";
import type { OAuthError } from "./errors";

export const RESPONSE_MODES = ["query", "fragment", "form_post"] as const;
export type ResponseMode = (typeof RESPONSE_MODES)[number];
/** The response types served: the code flow, and the login-only implicit id_token (OIDC Core §3.2). */
export type ResponseType = "code" | "id_token";

export interface AuthorizationResponse {
  /** The registered redirect URI, as the request named it. */
  redirectUri: string;
  mode: ResponseMode;
  /** The response parameters, in order (omitted values already dropped). */
  params: [string, string][];
}

/** The response for `values` (null values are omitted: e.g. state when the client sent none). */
export function authorizationResponse(redirectUri: string, mode: ResponseMode, values: Record<string, string | null>): AuthorizationResponse {
  const params: [string, string][] = [];
  for (const [k, v] of Object.entries(values)) if (v !== null) params.push([k, v]);
  return { redirectUri, mode, params };
}

/**
 * RFC 6749 §4.1.2.1 / OIDC Core §3.2.2.6 error response, with `iss` (RFC 9207 §2) and `state`
 * when the client sent one.
 */
export function errorResponse(issuer: string, redirectUri: string, mode: ResponseMode, err: OAuthError, state: string | null): AuthorizationResponse {
  return authorizationResponse(redirectUri, mode, { error: err.error, error_description: err.description, state, iss: issuer });
}

/**
 * The redirect URI with `values` added to its query. The registered URI's own query is kept
 * byte for byte (RFC 6749 §3.1.2: it MUST be retained when adding parameters).
 */
export function authorizationResponseUrl(registered: string, values: Record<string, string | null>): string {
  return queryUrl(registered, authorizationResponse(registered, "query", values).params);
}

// A client registered before non-ASCII URIs were refused: a Location header must be ASCII
// (a non-ASCII one was a 500), so send the same address in its ASCII form.
function queryUrl(registered: string, params: [string, string][]): string {
  const redirectUri = asciiUri(registered);
  const extra = new URLSearchParams(params);
  const q = redirectUri.indexOf("?");
  if (q === -1) return `${redirectUri}?${extra}`;
  const sep = q === redirectUri.length - 1 || redirectUri.endsWith("&") ? "" : "&";
  return `${redirectUri}${sep}${extra}`;
}

/**
 * Where to redirect the browser for a query or fragment response. Multiple Response Types §2.1:
 * fragment = the parameters in the fragment, application/x-www-form-urlencoded (a registered
 * redirect URI has no fragment of its own, RFC 6749 §3.1.2).
 */
export function responseLocation(r: AuthorizationResponse): string {
  if (r.mode === "form_post") throw new Error("A form_post response is a page, not a redirect");
  if (r.mode === "query") return queryUrl(r.redirectUri, r.params);
  return `${asciiUri(r.redirectUri)}#${new URLSearchParams(r.params)}`;
}

/** What a form_post page posts (Form Post Response Mode §2): the action and the hidden fields. */
interface FormPost {
  action: string;
  fields: [string, string][];
}

export function formPostOf(r: AuthorizationResponse): FormPost {
  return { action: asciiUri(r.redirectUri), fields: r.params };
}
