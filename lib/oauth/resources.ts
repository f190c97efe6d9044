// Resource indicators (RFC 8707) and the scopes of APIs (protected resources).
//  - A resource value is an absolute URI without a fragment (RFC 8707 §2); an API's identifier
//    is exactly such a value, compared as an exact string.
//  - Consents remember API scopes per API: a scope `read` of the API `https://api.example.com`
//    is stored as `https://api.example.com\read`. A backslash can appear neither in a scope-token
//    (RFC 6749 §3.3: %x21 / %x23-5B / %x5D-7E) nor in a URI (RFC 3986 §2), so the split is
//    unambiguous, and two APIs can both have `read`. OIDC scopes (openid, profile…) stay as
//    they are. This module is the one place that qualifies and unqualifies.
import { hasControlChars } from "./text";

/** The longest resource value (and API identifier) accepted. */
export const MAX_RESOURCE_LENGTH = 2000;

const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;

/**
 * Why `value` is not a usable resource indicator (RFC 8707 §2: "an absolute URI, as specified
 * by Section 4.3 of RFC 3986", which "MUST NOT include a fragment component"), or null.
 */
export function resourceProblem(value: string): string | null {
  if (value.length > MAX_RESOURCE_LENGTH) return `is longer than ${MAX_RESOURCE_LENGTH} characters`;
  if (hasControlChars(value) || /[\s\\]/.test(value) || /[^\x21-\x7e]/.test(value)) {
    return "must be a URI: no spaces, backslashes or characters outside ASCII";
  }
  if (value.includes("#")) return "must not contain a fragment (#)";
  if (!SCHEME.test(value) || !URL.canParse(value)) return "must be an absolute URI (such as https://api.example.com)";
  return null;
}

/**
 * A form's repeated `resource` values (RFC 8707 §2 allows several) travel in the one-value
 * parameter map joined by a line feed: a control character, refused in every parameter value
 * (lib/http/form.ts), so it never comes from a single value.
 */
const JOIN = "\n";
export const joinResources = (before: string, value: string) => `${before}${JOIN}${value}`;

/** The `resource` values of a token request (none: []). */
export function resourcesOf(params: Map<string, string>): string[] {
  const joined = params.get("resource");
  return joined === undefined ? [] : joined.split(JOIN);
}

/** The separator of qualified API scopes: in neither a scope-token nor a URI. */
const SEPARATOR = "\\";

/** `scope` of the API `identifier`, as consents store it. */
export function qualifyScope(identifier: string, scope: string): string {
  return `${identifier}${SEPARATOR}${scope}`;
}

/** A stored scope: an API's scope (with its API's identifier) or a plain (OIDC) scope. */
export function unqualifyScope(stored: string): { resource: string | null; scope: string } {
  const i = stored.lastIndexOf(SEPARATOR);
  return i === -1 ? { resource: null, scope: stored } : { resource: stored.slice(0, i), scope: stored.slice(i + 1) };
}

/** RFC 6749 §3.3 scope-token: 1*( %x21 / %x23-5B / %x5D-7E ). */
export const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]+$/;
