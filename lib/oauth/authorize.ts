// The authorization endpoint's logic (RFC 6749 §4.1.1-§4.1.2, OIDC Core §3.1.2), its
// continuation after sign-in, and the consent decision. lib/http turns the outcomes into
// responses; this file knows nothing of HTTP, cookies or pages.
//
//   validate (checks/) -> signed in recently enough? -> consent covers the scopes? -> code
//
// Anything that needs the user (sign-in, consent) parks the validated request as a
// PendingRequest; the hot path (signed in, consent given) stores nothing but the code.
import { noteClientError } from "./client-errors";
import { timeOrderedId } from "../crypto/ids";
import { randomToken, sha256 } from "../crypto/tokens";
import {
  checkAuthorizationRequest,
  checkTarget,
  allowsClient,
  NO_APIS,
  requestedClientId,
  resourceLookups,
  ScopeOfNoRequestedApi,
  values,
  type FoundApis,
  type RawParams,
} from "./checks";
import { asciiUri } from "./redirect-uri";
import { ENDPOINT_PATHS } from "./endpoints";
import { AccessDenied, ConsentRequired, InvalidAuthorizationTarget, InvalidScope, LoginRequired, OAuthError } from "./errors";
import type { AuthorizationParams, OAuthClient, OAuthDeps, PendingRequest, PortalSessionInfo } from "./types";
import { isSafeId } from "./text";
import { groupScopes, type ScopeGroup } from "./scope-groups";

/** How long a parked request waits for sign-in and consent. */
export const PENDING_REQUEST_TTL_SECONDS = 10 * 60;

export type AuthorizeDeps = Pick<OAuthDeps, "issuer" | "lifetimes" | "stores" | "now">;

/** The portal session of the browser, looked up only once the request is known to be valid. */
export type SessionLoader = () => Promise<PortalSessionInfo | null>;

/**
 * Counts one anonymous write (parking a request for a browser without a session) against the
 * caller's address, then checks it: null to go ahead, else the seconds to wait.
 */
export type AnonymousWriteGate = () => number | null;

export type AuthorizeOutcome =
  /** Shown to the user; never a redirect (RFC 6749 §4.1.2.1). */
  | {
      type: "page";
      status: number;
      title: string;
      description: string;
      /** the exact reason, for the app's developer */
      detail?: string;
      /** RFC 9110 §10.2.3, when the page asks the user to come back later */
      retryAfterSeconds?: number;
    }
  /** A redirect: to the client (a code or an error), or to our sign-in or consent page (a path). */
  | { type: "redirect"; location: string };

const page = (title: string, description: string, status = 400, detail?: string): AuthorizeOutcome => ({
  type: "page",
  status,
  title,
  description,
  ...(detail ? { detail } : {}),
});

const redirect = (location: string): AuthorizeOutcome => ({ type: "redirect", location });

const BUSY_TITLE = "Too many sign-in requests";
const EXPIRED_TITLE = "Sign-in request expired";
const EXPIRED = "This sign-in request has expired; go back to the app and try again.";
const CLIENT_UNAVAILABLE = "This application is no longer available on Latchkey.";

export type ConsentProblem = "not_found" | "expired" | "decided" | "other_session" | "client_unavailable";

/** Plain words for each problem, for the consent screen and the consent action. */
export const CONSENT_PROBLEMS: Record<ConsentProblem, { title: string; description: string }> = {
  not_found: { title: "Request not found", description: "This sign-in request was not found. Go back to the app and try again." },
  expired: { title: EXPIRED_TITLE, description: EXPIRED },
  decided: { title: "Already answered", description: "You have already answered this request. Go back to the app to continue." },
  other_session: {
    title: "Request not valid here",
    description: "This sign-in request was started in another session. Go back to the app and try again.",
  },
  client_unavailable: { title: "Application unavailable", description: CLIENT_UNAVAILABLE },
};

// ---------------------------------------------------------------------------------------------
// Responses to the client
// ---------------------------------------------------------------------------------------------

/**
 * The redirect URI with `values` added to its query. The registered URI's own query is kept
 * byte for byte (RFC 6749 §3.1.2: it MUST be retained when adding parameters).
 */
export function authorizationResponseUrl(registered: string, values: Record<string, string | null>): string {
  // A client registered before non-ASCII URIs were refused: a Location header must be ASCII
  // (a non-ASCII one was a 500), so send the same address in its ASCII form.
  const redirectUri = asciiUri(registered);
  const extra = new URLSearchParams();
  for (const [k, v] of Object.entries(values)) if (v !== null) extra.append(k, v);
  const q = redirectUri.indexOf("?");
  if (q === -1) return `${redirectUri}?${extra}`;
  const sep = q === redirectUri.length - 1 || redirectUri.endsWith("&") ? "" : "&";
  return `${redirectUri}${sep}${extra}`;
}

/** RFC 6749 §4.1.2.1 error response, with `iss` (RFC 9207 §2) and `state` when the client sent one. */
export function errorResponseUrl(issuer: string, redirectUri: string, err: OAuthError, state: string | null): string {
  return authorizationResponseUrl(redirectUri, {
    error: err.error,
    error_description: err.description,
    state,
    iss: issuer,
  });
}

/**
 * Issues an authorization code for a decided request (RFC 6749 §4.1.2) and returns the URL to
 * send the browser to. The code carries 256 random bits; only its SHA-256 is stored (RFC 9700
 * §4.14), and it lives `lifetimes.authorizationCode` seconds (at most 10 minutes, §4.1.2).
 * Used by the hot path, by the continuation after sign-in and by the consent action alike.
 */
export async function issueCode(
  deps: AuthorizeDeps,
  grant: { client: Pick<OAuthClient, "id">; params: AuthorizationParams; session: PortalSessionInfo },
): Promise<string> {
  const { client, params, session } = grant;
  const code = randomToken(32);
  const now = deps.now();
  await deps.stores.codes.create({
    id: timeOrderedId(),
    codeHash: sha256(code),
    grantId: timeOrderedId(),
    clientId: client.id,
    userId: session.userId,
    // The public sid, not the row id: it ends up in the ID token (OIDC Front-Channel Logout §2).
    sessionId: session.sid,
    redirectUri: params.redirectUri,
    redirectUriGiven: params.redirectUriGiven,
    scope: params.scope,
    resources: params.resources,
    nonce: params.nonce,
    codeChallenge: params.codeChallenge,
    codeChallengeMethod: params.codeChallengeMethod,
    authTime: session.authTime,
    expiresAt: new Date(now.getTime() + deps.lifetimes.authorizationCode * 1000),
  });
  // RFC 6749 §4.1.2: code and state; RFC 9207 §2: iss.
  return authorizationResponseUrl(params.redirectUri, { code, state: params.state, iss: deps.issuer });
}

// ---------------------------------------------------------------------------------------------
// Decisions
// ---------------------------------------------------------------------------------------------

/**
 * Whether a signed-in user must authenticate again. OIDC Core §3.1.2.1: prompt=login asks for
 * a fresh authentication, max_age bounds the time since the last one. `since` is when the
 * parked request was created: a session that authenticated after it satisfies both (that
 * sign-in happened for this very request; without this, max_age=0 could never be met).
 */
export function mustReauthenticate(
  session: PortalSessionInfo,
  params: Pick<AuthorizationParams, "prompt" | "maxAge">,
  since: Date | null,
  now: Date,
): boolean {
  if (since && session.authTime.getTime() >= since.getTime()) return false;
  if (params.prompt.includes("login")) return true;
  return params.maxAge !== null && now.getTime() - session.authTime.getTime() > params.maxAge * 1000;
}

/** Whether to ask the user: prompt=consent (OIDC Core §3.1.2.1), or a scope not yet granted. */
export function needsConsent(params: Pick<AuthorizationParams, "prompt" | "scope">, granted: string[] | null): boolean {
  if (params.prompt.includes("consent")) return true;
  return granted === null || !params.scope.every((s) => granted.includes(s));
}

async function park(
  deps: AuthorizeDeps,
  client: OAuthClient,
  params: AuthorizationParams,
  sessionId: string | null,
  now: Date,
): Promise<string> {
  const id = randomToken(24);
  await deps.stores.requests.create({
    id,
    clientId: client.id,
    params,
    sessionId,
    createdAt: now,
    expiresAt: new Date(now.getTime() + PENDING_REQUEST_TTL_SECONDS * 1000),
  });
  return id;
}

/**
 * To the sign-in page, which comes back to `continue`. `reauth` (prompt=login, max_age with a
 * session): the page asks for the password even though a session exists. The session itself is
 * left alone: a cross-site GET of an authorization URL must not be able to sign anyone out;
 * the new sign-in replaces it (app/api/auth/[...nextauth]/options.ts).
 */
function signInRedirect(requestId: string, params: AuthorizationParams, reauth: boolean): AuthorizeOutcome {
  const q = new URLSearchParams({ callbackUrl: `${ENDPOINT_PATHS.authorizationContinue}?request=${requestId}` });
  if (params.loginHint) q.set("login_hint", params.loginHint);
  if (reauth) q.set("prompt", "login");
  return redirect(`${ENDPOINT_PATHS.signIn}?${q}`);
}

const consentRedirect = (requestId: string) => redirect(`${ENDPOINT_PATHS.consent}?request=${requestId}`);

/** The APIs with these identifiers (null where none has it). */
async function findApis(deps: AuthorizeDeps, identifiers: string[]): Promise<FoundApis> {
  const apis = await Promise.all(identifiers.map((i) => deps.stores.apis.findByIdentifier(i)));
  return new Map(identifiers.map((i, n) => [i, apis[n] ?? null]));
}

/**
 * A scope of no requested API: when an API this client may ask for has it, say which, so that
 * the developer knows the `resource` to send ("read:items is a scope of Items API: send
 * resource=https://api.example.com"). Only on this error path: one uncached query.
 */
async function withApiHint(deps: AuthorizeDeps, client: OAuthClient, e: ScopeOfNoRequestedApi): Promise<OAuthError> {
  const owner = (await deps.stores.apis.findWithScope(e.scope)).find((a) => allowsClient(a, client));
  return owner ? new InvalidScope(`${e.scope} is a scope of ${owner.name}: send resource=${owner.identifier}`) : e;
}

// ---------------------------------------------------------------------------------------------
// GET/POST /oauth/authorize
// ---------------------------------------------------------------------------------------------

/** The authorization request (RFC 6749 §4.1.1, OIDC Core §3.1.2.1), from the query or a form body. */
export async function authorize(
  deps: AuthorizeDeps,
  raw: RawParams,
  loadSession: SessionLoader,
  admitAnonymous: AnonymousWriteGate = () => null,
): Promise<AuthorizeOutcome> {
  // (1)-(2): until the client and its redirect URI are verified, errors are pages.
  let target: ReturnType<typeof checkTarget>;
  let known: OAuthClient | null = null;
  try {
    const clientId = requestedClientId(raw);
    known = await deps.stores.clients.findByClientId(clientId);
    target = checkTarget(raw, known);
  } catch (e) {
    if (e instanceof InvalidAuthorizationTarget) {
      if (known) noteClientError(deps.stores, known.clientId, "invalid_request", e.developerDetail ?? e.description, deps.now());
      return page(e.title, e.description, 400, e.pageDetail);
    }
    throw e;
  }
  const { client } = target;
  // RFC 6749 §4.1.2.1: the exact state received, if it was sent (once).
  const stateValues = values(raw, "state");
  const state = stateValues.length === 1 ? stateValues[0]! : null;
  const fail = (err: OAuthError) => {
    noteClientError(deps.stores, client.clientId, err.error, err.description, deps.now());
    return redirect(errorResponseUrl(deps.issuer, target.redirectUri, err, state));
  };

  // (3)-(7): from here on, errors go back to the client.
  let params: AuthorizationParams;
  try {
    // The APIs named by `resource` (or the client's default): one cached read each, none without.
    const lookups = raw.has("resource") || client.defaultResource ? resourceLookups(raw, client) : null;
    const found = lookups === null || lookups.length === 0 ? NO_APIS : await findApis(deps, lookups);
    params = checkAuthorizationRequest(raw, client, target, found);
  } catch (e) {
    if (e instanceof ScopeOfNoRequestedApi) return fail(await withApiHint(deps, client, e));
    if (e instanceof OAuthError) return fail(e);
    throw e;
  }

  const session = await loadSession();
  const now = deps.now();
  if (!session || mustReauthenticate(session, params, null, now)) {
    // OIDC Core §3.1.2.6: prompt=none and the user would have to sign in.
    if (params.prompt.includes("none")) return fail(new LoginRequired("The user is not signed in"));
    // Parking writes a row for an anonymous caller: capped per address. A page, not a redirect
    // to the client: the user can simply try again (RFC 6585 §4: 429 with Retry-After).
    const wait = session ? null : admitAnonymous();
    if (wait !== null) {
      const description = `Too many sign-in requests came from your network. Wait ${wait} seconds and try again.`;
      return { type: "page", status: 429, title: BUSY_TITLE, description, retryAfterSeconds: wait };
    }
    const id = await park(deps, client, params, null, now);
    return signInRedirect(id, params, session !== null);
  }

  const granted = await deps.stores.consents.find(session.userId, client.id);
  if (needsConsent(params, granted)) {
    if (params.prompt.includes("none")) return fail(new ConsentRequired("The user has not granted these scopes"));
    const id = await park(deps, client, params, session.id, now);
    return consentRedirect(id);
  }

  // Hot path: one client, one session and one consent lookup, one code insert.
  return redirect(await issueCode(deps, { client, params, session }));
}

// ---------------------------------------------------------------------------------------------
// GET /oauth/authorize/continue?request=ID (the sign-in page comes back here)
// ---------------------------------------------------------------------------------------------

/** A parked request that can still be decided, with its client; or the page to show. */
async function loadOpenRequest(
  deps: AuthorizeDeps,
  requestId: string | null,
  now: Date,
): Promise<{ request: PendingRequest; client: OAuthClient } | { problem: ConsentProblem }> {
  if (!isSafeId(requestId, 64)) return { problem: "not_found" };
  const request = await deps.stores.requests.find(requestId);
  if (!request) return { problem: "not_found" };
  if (request.consumedAt) return { problem: "decided" };
  if (request.expiresAt.getTime() <= now.getTime()) return { problem: "expired" };
  const client = await deps.stores.clients.findByClientId(request.params.clientId);
  if (!client || client.id !== request.clientId || client.suspended) return { problem: "client_unavailable" };
  return { request, client };
}

export async function continueAuthorization(
  deps: AuthorizeDeps,
  requestId: string | null,
  loadSession: SessionLoader,
): Promise<AuthorizeOutcome> {
  const now = deps.now();
  const open = await loadOpenRequest(deps, requestId, now);
  if ("problem" in open) {
    // Unknown, decided or expired: to the user, all the same (sign in again from the app).
    return open.problem === "client_unavailable" ? page("Application unavailable", CLIENT_UNAVAILABLE) : page(EXPIRED_TITLE, EXPIRED);
  }
  const { request, client } = open;
  const session = await loadSession();
  // prompt=login / max_age are judged against when the request was made: signing in again
  // after it satisfies them.
  if (!session || mustReauthenticate(session, request.params, request.createdAt, now)) {
    return signInRedirect(request.id, request.params, session !== null);
  }
  // The request belongs to the browser session that first continues it.
  if (!(await deps.stores.requests.bindSession(request.id, session.id))) {
    return page(CONSENT_PROBLEMS.other_session.title, CONSENT_PROBLEMS.other_session.description);
  }
  const granted = await deps.stores.consents.find(session.userId, client.id);
  if (needsConsent(request.params, granted)) return consentRedirect(request.id);
  // Decided without asking: the request is used up before the code exists (no replay).
  if (!(await deps.stores.requests.consume(request.id, now))) return page(EXPIRED_TITLE, EXPIRED);
  return redirect(await issueCode(deps, { client, params: request.params, session }));
}

// ---------------------------------------------------------------------------------------------
// The consent screen and its decision
// ---------------------------------------------------------------------------------------------

export interface ConsentView {
  requestId: string;
  client: Pick<OAuthClient, "name" | "ownerName" | "logoUrl" | "homepageUrl" | "verified">;
  /** Where the answer goes: the host of the redirect URI (the user can spot a look-alike). */
  redirectHost: string;
  /** Requested scopes not granted yet ("wants to"), in plain words, per API. */
  newScopes: ScopeGroup[];
  /** Requested scopes the user already granted ("already has"), in plain words, per API. */
  grantedScopes: ScopeGroup[];
}

/** Where a redirect URI leads, for people: its host name, or its scheme for an app's own scheme. */
export function redirectHost(redirectUri: string): string {
  try {
    const url = new URL(redirectUri);
    return url.hostname || url.protocol.replace(/:$/, "");
  } catch {
    return redirectUri;
  }
}

/** What the consent screen shows for `requestId`, for the signed-in `session`. */
export async function loadConsent(
  deps: AuthorizeDeps,
  requestId: string | null,
  session: PortalSessionInfo,
): Promise<{ ok: true; view: ConsentView } | { ok: false; problem: ConsentProblem }> {
  const open = await loadOpenRequest(deps, requestId, deps.now());
  if ("problem" in open) return { ok: false, problem: open.problem };
  const { request, client } = open;
  if (request.sessionId !== session.id) return { ok: false, problem: "other_session" };
  const granted = (await deps.stores.consents.find(session.userId, client.id)) ?? [];
  // The requested APIs, for their names and the plain words of their scopes (cached reads).
  const apis = (await Promise.all(request.params.resources.map((r) => deps.stores.apis.findByIdentifier(r)))).filter((a) => a !== null);
  return {
    ok: true,
    view: {
      requestId: request.id,
      client: { name: client.name, ownerName: client.ownerName, logoUrl: client.logoUrl, homepageUrl: client.homepageUrl, verified: client.verified },
      redirectHost: redirectHost(request.params.redirectUri),
      newScopes: groupScopes(request.params.scope.filter((s) => !granted.includes(s)), apis),
      grantedScopes: groupScopes(request.params.scope.filter((s) => granted.includes(s)), apis),
    },
  };
}

/**
 * The user's answer on the consent screen. The client, scopes and redirect URI come from the
 * stored request, never from the form; the request must belong to this session, be open, and
 * is consumed atomically first, so that one request yields at most one answer.
 */
export async function decideConsent(
  deps: AuthorizeDeps,
  input: { requestId: string; session: PortalSessionInfo; decision: "allow" | "deny" },
): Promise<{ ok: true; location: string } | { ok: false; problem: ConsentProblem }> {
  const { session } = input;
  const now = deps.now();
  const open = await loadOpenRequest(deps, input.requestId, now);
  if ("problem" in open) return { ok: false, problem: open.problem };
  const { request, client } = open;
  if (request.sessionId !== session.id) return { ok: false, problem: "other_session" };
  if (!(await deps.stores.requests.consume(request.id, now))) return { ok: false, problem: "decided" };
  const { params } = request;

  if (input.decision === "deny") {
    await deps.stores.audit.record({
      type: "consent.denied",
      actorId: session.userId,
      subjectId: session.userId,
      clientId: client.id,
      data: { scope: params.scope.join(" ") },
    });
    // RFC 6749 §4.1.2.1: access_denied.
    const err = new AccessDenied("The user denied the request");
    return { ok: true, location: errorResponseUrl(deps.issuer, params.redirectUri, err, params.state) };
  }

  await deps.stores.consents.grant(session.userId, client.id, params.scope); // audits consent.granted
  return { ok: true, location: await issueCode(deps, { client, params, session }) };
}
