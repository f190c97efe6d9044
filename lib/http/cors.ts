// CORS (the Fetch standard's CORS protocol) for the protocol endpoints a browser app calls with
// fetch(): which origin may read which response. Framework-free; every endpoint gets it the same
// way: withPublicCors() or withClientCors() around its Endpoint, and preflight() as the OPTIONS
// method of its path (routes.ts, the app/ route files).
//
// Which endpoints, and how (RFC 9700 §2.6; OIDC Core §5.3; draft-ietf-oauth-browser-based-apps):
// - Discovery (both paths) and the JWKS: "*". Public documents, the same for every caller.
// - Registration (RFC 7591) and each client's configuration endpoint (RFC 7592): "*". Browser
//   MCP clients register from any origin; what authorizes a call is a bearer token in the
//   Authorization header (initial or registration access token), never a cookie, so a page on
//   another origin can do nothing with CORS that it could not do with the token from a server.
// - Token, revocation, userinfo: the request's Origin is echoed only when it is one of the web
//   origins of the calling client (the client_id it presents; for userinfo, the access token's
//   client): the origins of its http(s) redirect URIs (webOrigins). Errors carry it too, so an
//   app can read invalid_grant. Preflights are answered for any well-formed origin: see preflight().
// - Nowhere else: not the authorization endpoint (RFC 9700 §2.6: "CORS MUST NOT be supported at
//   the authorization endpoint"; it is navigated to, never fetched), not introspection (for
//   resource servers holding a secret), not end session (navigated to), not the portal's pages or
//   server actions (Next serves those; nothing here touches them).
// - Never Access-Control-Allow-Credentials: no endpoint here reads a cookie, and without it the
//   browser neither sends nor accepts cookies on these cross-origin requests.
import type { Endpoint, PlainRequest, PlainResponse } from "./endpoint";

export interface CorsRule {
  /** "any": `*` on every response. "client": the Origin, echoed only for the calling client's web origins. */
  readonly origins: "any" | "client";
  /** The methods of the path, for Allow and Access-Control-Allow-Methods. */
  readonly methods: string;
  /** Access-Control-Allow-Headers: only the request headers the endpoint reads. */
  readonly headers: string | null;
  /** Access-Control-Expose-Headers: response headers an app must be able to read beyond the safelisted ones. */
  readonly expose: string | null;
}

function rule(origins: CorsRule["origins"], methods: string[], headers: string[], expose: string[] = []): CorsRule {
  return Object.freeze({
    origins,
    methods: methods.join(", "),
    headers: headers.length ? headers.join(", ") : null,
    expose: expose.length ? expose.join(", ") : null,
  });
}

// Authorization: client_secret_basic (RFC 6749 §2.3.1) or a bearer token (RFC 6750 §2.1).
// Content-Type: a form with a charset parameter is still safelisted, JSON (registration) is not.
// No DPoP: Latchkey does not accept DPoP proofs (RFC 9449) yet.
const AUTH_HEADERS = ["Authorization", "Content-Type"];
// RFC 6750 §3, RFC 6749 §5.2: the challenge of a 401 says why.
const CHALLENGE = ["WWW-Authenticate"];

/** The CORS rule of each endpoint that has one; an endpoint not listed has no CORS at all. */
export const CORS = {
  discovery: rule("any", ["GET"], []),
  jwks: rule("any", ["GET"], []),
  token: rule("client", ["POST"], AUTH_HEADERS, CHALLENGE),
  revocation: rule("client", ["POST"], AUTH_HEADERS, CHALLENGE),
  userinfo: rule("client", ["GET", "POST"], AUTH_HEADERS, CHALLENGE),
  registration: rule("any", ["POST"], AUTH_HEADERS, CHALLENGE),
  registrationClient: rule("any", ["GET", "PUT", "DELETE"], AUTH_HEADERS, CHALLENGE),
} as const;

/**
 * How long a browser may reuse a preflight's answer. Chromium caps it at 7200 s; the answer
 * depends on nothing a client can change (see preflight()), so a long one costs nothing.
 */
const PREFLIGHT_MAX_AGE = "7200";

/** Far longer than any real origin (scheme, host of at most 253 characters, port). */
const MAX_ORIGIN_LENGTH = 300;
const ORIGIN_SHAPE = /^https?:\/\/[^/?#\s@\\]+$/;

/**
 * The Origin header if it is a serialized http(s) origin exactly as a browser sends it
 * (Fetch standard, "serializing a request origin"), else null: "null" (opaque origins: sandboxed
 * frames, file: pages), paths, userinfo, upper case, default ports, anything too long.
 */
export function requestOrigin(value: string | null): string | null {
  if (value === null || value.length > MAX_ORIGIN_LENGTH || !ORIGIN_SHAPE.test(value)) return null;
  try {
    return new URL(value).origin === value ? value : null;
  } catch {
    return null;
  }
}

/** The web origin of a redirect URI: http(s) only; a custom scheme (a native app) has none. */
export function webOrigin(uri: string): string | null {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return null;
  }
  return url.protocol === "https:" || url.protocol === "http:" ? url.origin : null;
}

/** The origins a browser app of this client runs on: those of its redirect URIs. */
export function webOrigins(redirectUris: readonly string[]): ReadonlySet<string> {
  const out = new Set<string>();
  for (const uri of redirectUris) {
    const origin = webOrigin(uri);
    if (origin) out.add(origin);
  }
  return out;
}

// Computed once per client record: the stores hand out the same (frozen) record for as long as it
// stays in the client cache (lib/db/protocol/client-cache.ts), and a changed client is a new record.
const originsOfRecord = new WeakMap<object, ReadonlySet<string>>();

/** webOrigins() of a client record, computed on its first cross-origin request and kept with it. */
export function clientWebOrigins(client: { readonly redirectUris: readonly string[] }): ReadonlySet<string> {
  let origins = originsOfRecord.get(client);
  if (!origins) {
    origins = webOrigins(client.redirectUris);
    originsOfRecord.set(client, origins);
  }
  return origins;
}

/**
 * The OPTIONS method of a path with CORS: 204 with what the path allows (Fetch standard, "CORS
 * protocol"; RFC 9110 §9.3.7 for Allow).
 *
 * A preflight carries no body and no credentials, so it cannot tell which client is calling (the
 * client_id is in the body, the access token in the Authorization header it asks about). For a
 * "client" rule it therefore allows any well-formed origin, and the actual response is what is
 * gated: it carries Access-Control-Allow-Origin only for the calling client's origins, so a page
 * on another origin can send the request but never read the answer. Gating the preflight on
 * "the origin of some registered client" instead would protect nothing (open registration lets
 * anyone add an origin to that set, and a form POST to the token endpoint needs no preflight at
 * all) and would cost a scan of every client's redirect URIs.
 */
export function preflight(r: CorsRule): Endpoint {
  const allow = `OPTIONS, ${r.methods}`;
  return async (req) => {
    const headers: PlainResponse["headers"] = { Allow: allow };
    const origin = r.origins === "any" ? "*" : requestOrigin(req.headers.get("origin"));
    if (r.origins === "client") headers.Vary = "Origin";
    if (origin !== null) {
      headers["Access-Control-Allow-Origin"] = origin;
      headers["Access-Control-Allow-Methods"] = r.methods;
      if (r.headers) headers["Access-Control-Allow-Headers"] = r.headers;
      headers["Access-Control-Max-Age"] = PREFLIGHT_MAX_AGE;
    }
    return { status: 204, headers, body: "" };
  };
}

/** The web origins of the client a request comes from, or null when it names none we know. */
export type CallerOrigins = (req: PlainRequest) => Promise<ReadonlySet<string> | null>;

function withHeaders(res: PlainResponse, add: Record<string, string>): PlainResponse {
  const vary = res.headers.Vary;
  const headers = { ...res.headers, ...add };
  if (add.Vary && typeof vary === "string" && vary !== "") headers.Vary = `${vary}, ${add.Vary}`;
  return { ...res, headers };
}

/** Reads the body once, whoever asks: the endpoint, then callerOrigins (a Web Request's body can be read only once). */
function bodyOnce(req: PlainRequest): PlainRequest {
  let text: Promise<string> | undefined;
  return { method: req.method, url: req.url, headers: req.headers, text: () => (text ??= req.text()) };
}

async function isCallers(callerOrigins: CallerOrigins, req: PlainRequest, origin: string): Promise<boolean> {
  try {
    return (await callerOrigins(req))?.has(origin) ?? false;
  } catch {
    return false; // a request that names no client clearly (a malformed form...) gets no CORS, never a 5xx
  }
}

/** An endpoint of an "any" rule: `*` (and what it exposes) on every response, errors included. */
export function withPublicCors<A extends unknown[]>(
  r: CorsRule,
  endpoint: (...args: A) => Promise<PlainResponse>,
): (...args: A) => Promise<PlainResponse> {
  if (r.origins !== "any") throw new Error("withPublicCors needs an \"any\" rule");
  const add: Record<string, string> = { "Access-Control-Allow-Origin": "*" };
  if (r.expose) add["Access-Control-Expose-Headers"] = r.expose;
  return async (...args) => withHeaders(await endpoint(...args), add);
}

/**
 * An endpoint of a "client" rule: the Origin echoed on any response, errors included, when it is
 * one of the calling client's web origins. A request without Origin (every server-side client,
 * the hot path) costs one header lookup; with one, callerOrigins names the calling client's
 * origins after the endpoint has answered. Its responses are no-store, so one without Origin
 * needs no Vary: Origin (nothing caches it).
 */
export function withClientCors(r: CorsRule, endpoint: Endpoint, callerOrigins: CallerOrigins): Endpoint {
  if (r.origins !== "client") throw new Error("withClientCors needs a \"client\" rule");
  async function crossOrigin(req: PlainRequest, sent: string): Promise<PlainResponse> {
    const once = bodyOnce(req);
    const res = await endpoint(once);
    const origin = requestOrigin(sent);
    if (origin === null || !(await isCallers(callerOrigins, once, origin))) return withHeaders(res, { Vary: "Origin" });
    const add: Record<string, string> = { "Access-Control-Allow-Origin": origin, Vary: "Origin" };
    if (r.expose) add["Access-Control-Expose-Headers"] = r.expose;
    return withHeaders(res, add);
  }
  // Not async: without Origin the endpoint's own promise is returned, no extra await on the hot path.
  return (req) => {
    const sent = req.headers.get("origin");
    return sent === null ? endpoint(req) : crossOrigin(req, sent);
  };
}
