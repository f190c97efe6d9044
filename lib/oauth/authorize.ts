// The authorization endpoint's logic (RFC 6749 §4.1.1-§4.1.2, OIDC Core §3.1.2), its
// continuation after sign-in, and the consent decision. lib/http turns the outcomes into
// responses; this file knows nothing of HTTP, cookies or pages.
//
//   validate (checks/) -> signed in recently enough? -> strongly enough (acr_values)?
//   -> consent covers the scopes? -> code
//   (or, for response_type=id_token, an ID token), answered as the request's response_mode
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
  responseModeOf,
  ScopeOfNoRequestedApi,
  values,
  type FoundApis,
  type RawParams,
} from "./checks";
import { authorizationResponse, errorResponse, type AuthorizationResponse } from "./authorization-response";
import { isLoopbackRedirect } from "./redirect-uri";
import { ENDPOINT_PATHS } from "./endpoints";
import { signIdToken } from "./tokens";
import { idTokenUserClaims } from "./user-claims";
import {
  AccessDenied,
  ConsentRequired,
  InteractionRequired,
  InvalidAuthorizationTarget,
  InvalidScope,
  LoginRequired,
  OAuthError,
  TemporarilyUnavailable,
} from "./errors";
import { meetsAcrValues } from "./amr";
import type { AuthorizationParams, ConsentDecision, OAuthClient, OAuthDeps, PendingRequest, PortalSessionInfo } from "./types";
import { isSafeId } from "./text";
import { isClientIdUrl } from "./client-documents/client-id-url";
import { ClientDocumentFetchLimit } from "./client-documents/resolver";
import { groupScopes, type ScopeGroup } from "./scope-groups";

/** How long a parked request waits for sign-in and consent. */
export const PENDING_REQUEST_TTL_SECONDS = 10 * 60;

export type AuthorizeDeps = Pick<OAuthDeps, "issuer" | "lifetimes" | "stores" | "keys" | "now" | "clientDocuments">;

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
  /** The answer to the client (a code, an ID token or an error), in its response mode. */
  | { type: "respond"; response: AuthorizationResponse }
  /** A redirect to our sign-in or consent page (a path). */
  | { type: "redirect"; location: string };

const page = (title: string, description: string, status = 400, detail?: string): AuthorizeOutcome => ({
  type: "page",
  status,
  title,
  description,
  ...(detail ? { detail } : {}),
});

const redirect = (location: string): AuthorizeOutcome => ({ type: "redirect", location });
const respond = (response: AuthorizationResponse): AuthorizeOutcome => ({ type: "respond", response });

/** RFC 6585 §4: 429 with Retry-After, a page the user can simply come back to. */
const busy = (wait: number): AuthorizeOutcome => ({
  type: "page",
  status: 429,
  title: "Too many sign-in requests",
  description: `Too many sign-in requests came from your network. Wait ${wait} seconds and try again.`,
  retryAfterSeconds: wait,
});
/**
 * The database is away (RFC 6749 §4.1.2.1 temporarily_unavailable) before the client and its
 * redirect URI are known: a page with 503 and Retry-After (RFC 9110 §15.6.4).
 */
export const unavailablePage = (): AuthorizeOutcome => ({
  type: "page",
  status: 503,
  title: "Temporarily unavailable",
  description: "Latchkey cannot handle this request right now. Try again in a moment.",
  retryAfterSeconds: TemporarilyUnavailable.RETRY_AFTER_SECONDS,
});
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

type Decided = { client: OAuthClient; params: AuthorizationParams; session: PortalSessionInfo };

/**
 * The answer to a decided request: a code, or an ID token for response_type=id_token. Used by
 * the hot path, by the continuation after sign-in and by the consent action alike.
 */
function issueResponse(deps: AuthorizeDeps, grant: Decided): Promise<AuthorizationResponse> {
  return grant.params.responseType === "id_token" ? issueIdToken(deps, grant) : issueCode(deps, grant);
}

/**
 * Issues an authorization code (RFC 6749 §4.1.2). The code carries 256 random bits; only its
 * SHA-256 is stored (RFC 9700 §4.14), and it lives `lifetimes.authorizationCode` seconds (at
 * most 10 minutes, §4.1.2).
 */
async function issueCode(deps: AuthorizeDeps, grant: Decided): Promise<AuthorizationResponse> {
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
    amr: session.amr,
    expiresAt: new Date(now.getTime() + deps.lifetimes.authorizationCode * 1000),
  });
  // RFC 6749 §4.1.2: code and state; RFC 9207 §2: iss.
  return authorizationResponse(params.redirectUri, params.responseMode, { code, state: params.state, iss: deps.issuer });
}

/**
 * OIDC Core §3.2.2.5: the ID token itself (and state), no access token; signed with the
 * client's algorithm, `aud` = client_id, the request's nonce (§3.2.2.11), no at_hash
 * (§3.2.2.10), and the profile/email claims of the granted scopes (§5.4: with no access
 * token, they are returned in the ID token). Nothing is stored: there is nothing to redeem.
 */
async function issueIdToken(deps: AuthorizeDeps, grant: Decided): Promise<AuthorizationResponse> {
  const { client, params, session } = grant;
  const user = await deps.stores.users.findById(session.userId);
  // A signed-in session's user exists and is active (sessions.findSignedIn); this guards a race.
  if (!user || user.disabled) return errorResponse(deps.issuer, params.redirectUri, params.responseMode, new AccessDenied("The user is no longer active"), params.state);
  const ctx = { client, userId: user.id, authTime: session.authTime, amr: session.amr, sessionId: session.sid };
  const idToken = await signIdToken(deps, ctx, null, params.nonce, deps.now(), idTokenUserClaims(client, user, params.scope, false));
  await deps.stores.audit.record({ type: "id_token.issued", subjectId: user.id, clientId: client.id, data: { scope: params.scope.join(" ") } });
  return authorizationResponse(params.redirectUri, params.responseMode, { id_token: idToken, state: params.state, iss: deps.issuer });
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

/**
 * To the step-up page, which asks for a factor that meets `acr` (the first known value the
 * request asked for: OIDC Core §3.1.2.1, acr_values are in order of preference) and comes back to
 * `continue`, where the acr is checked again.
 */
function stepUpRedirect(requestId: string, params: Pick<AuthorizationParams, "acrValues">): AuthorizeOutcome {
  const q = new URLSearchParams({ acr: params.acrValues[0]!, callbackUrl: `${ENDPOINT_PATHS.authorizationContinue}?request=${requestId}` });
  return redirect(`${ENDPOINT_PATHS.stepUp}?${q}`);
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
  admitDocumentFetch: AnonymousWriteGate = () => null,
): Promise<AuthorizeOutcome> {
  // (1)-(2): until the client and its redirect URI are verified, errors are pages.
  let target: ReturnType<typeof checkTarget>;
  let known: OAuthClient | null = null;
  try {
    const clientId = requestedClientId(raw);
    // A Client Identifier URL is resolved by fetching its metadata document (which saves the
    // client's row); any other client_id is looked up.
    known =
      deps.clientDocuments && isClientIdUrl(clientId)
        ? await deps.clientDocuments.resolve(clientId, admitDocumentFetch)
        : await deps.stores.clients.findByClientId(clientId);
    target = checkTarget(raw, known);
  } catch (e) {
    if (e instanceof InvalidAuthorizationTarget) {
      if (known) noteClientError(deps.stores, known.clientId, "invalid_request", e.developerDetail ?? e.description, deps.now());
      return page(e.title, e.description, 400, e.pageDetail);
    }
    if (e instanceof ClientDocumentFetchLimit) return busy(e.retryAfterSeconds);
    if (e instanceof TemporarilyUnavailable) return unavailablePage();
    throw e;
  }
  const { client } = target;
  // RFC 6749 §4.1.2.1: the exact state received, if it was sent (once).
  const stateValues = values(raw, "state");
  const state = stateValues.length === 1 ? stateValues[0]! : null;
  // Errors go back the way the client expects its answer (Multiple Response Types §2.1).
  const mode = responseModeOf(raw);
  const fail = (err: OAuthError) => {
    noteClientError(deps.stores, client.clientId, err.error, err.description, deps.now());
    return respond(errorResponse(deps.issuer, target.redirectUri, mode, err, state));
  };

  // (3)-(7): from here on, errors go back to the client; so does a database that is away
  // (RFC 6749 §4.1.2.1 temporarily_unavailable), not noted as the client's error.
  try {
    return await authorizeFor(deps, raw, target, fail, loadSession, admitAnonymous);
  } catch (e) {
    if (e instanceof TemporarilyUnavailable) return respond(errorResponse(deps.issuer, target.redirectUri, mode, e, state));
    throw e;
  }
}

/** authorize, once the client and its redirect URI are known: errors from here go back to the client by `fail`. */
async function authorizeFor(
  deps: AuthorizeDeps,
  raw: RawParams,
  target: ReturnType<typeof checkTarget>,
  fail: (err: OAuthError) => AuthorizeOutcome,
  loadSession: SessionLoader,
  admitAnonymous: AnonymousWriteGate,
): Promise<AuthorizeOutcome> {
  const { client } = target;
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
    if (wait !== null) return busy(wait);
    const id = await park(deps, client, params, null, now);
    return signInRedirect(id, params, session !== null);
  }
  // OIDC Core §3.1.2.1 acr_values: signed in, but not strongly enough for this request.
  if (params.acrValues.length > 0 && !meetsAcrValues(session.amr, params.acrValues)) {
    // §3.1.2.6: prompt=none and the user would have to act (a second factor).
    if (params.prompt.includes("none")) return fail(new InteractionRequired("The request's acr_values need a stronger sign-in"));
    const id = await park(deps, client, params, null, now);
    return stepUpRedirect(id, params);
  }

  const granted = await deps.stores.consents.find(session.userId, client.id);
  if (needsConsent(params, granted)) {
    if (params.prompt.includes("none")) return fail(new ConsentRequired("The user has not granted these scopes"));
    const id = await park(deps, client, params, session.id, now);
    return consentRedirect(id);
  }

  // Hot path: one client, one session and one consent lookup, one code insert.
  return respond(await issueResponse(deps, { client, params, session }));
}

// ---------------------------------------------------------------------------------------------
// GET /oauth/authorize/continue?request=ID (the sign-in page comes back here)
// ---------------------------------------------------------------------------------------------

/**
 * A parked request that can still be decided, with its client; or the page to show. With
 * `decided`, a request decided on the consent screen whose answer waits for delivery (form_post)
 * counts as open too.
 */
async function loadOpenRequest(
  deps: AuthorizeDeps,
  requestId: string | null,
  now: Date,
  opts: { decided?: boolean } = {},
): Promise<{ request: PendingRequest; client: OAuthClient } | { problem: ConsentProblem }> {
  if (!isSafeId(requestId, 64)) return { problem: "not_found" };
  const request = await deps.stores.requests.find(requestId);
  if (!request) return { problem: "not_found" };
  if (request.consumedAt && !(opts.decided && request.decision)) return { problem: "decided" };
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
  const open = await loadOpenRequest(deps, requestId, now, { decided: true });
  if ("problem" in open) {
    // Unknown, decided or expired: to the user, all the same (sign in again from the app).
    return open.problem === "client_unavailable" ? page("Application unavailable", CLIENT_UNAVAILABLE) : page(EXPIRED_TITLE, EXPIRED);
  }
  const { request, client } = open;
  try {
    return await continueFor(deps, request, client, loadSession, now);
  } catch (e) {
    // RFC 6749 §4.1.2.1: the client and its redirect URI are known, so it hears of the outage.
    if (!(e instanceof TemporarilyUnavailable)) throw e;
    const { params } = request;
    return respond(errorResponse(deps.issuer, params.redirectUri, params.responseMode, e, params.state));
  }
}

async function continueFor(
  deps: AuthorizeDeps,
  request: PendingRequest,
  client: OAuthClient,
  loadSession: SessionLoader,
  now: Date,
): Promise<AuthorizeOutcome> {
  const session = await loadSession();
  if (request.consumedAt) return deliverDecision(deps, request, client, session);
  // prompt=login / max_age are judged against when the request was made: signing in again
  // after it satisfies them.
  if (!session || mustReauthenticate(session, request.params, request.createdAt, now)) {
    return signInRedirect(request.id, request.params, session !== null);
  }
  // acr_values are checked again here, on every continuation: a browser that skips the step-up
  // page (or a sign-in with one factor) comes back to it.
  if (!meetsAcrValues(session.amr, request.params.acrValues)) return stepUpRedirect(request.id, request.params);
  // The request belongs to the browser session that first continues it.
  if (!(await deps.stores.requests.bindSession(request.id, session.id))) {
    return page(CONSENT_PROBLEMS.other_session.title, CONSENT_PROBLEMS.other_session.description);
  }
  const granted = await deps.stores.consents.find(session.userId, client.id);
  if (needsConsent(request.params, granted)) return consentRedirect(request.id);
  // Decided without asking: the request is used up before the code exists (no replay).
  if (!(await deps.stores.requests.consume(request.id, now))) return page(EXPIRED_TITLE, EXPIRED);
  return respond(await issueResponse(deps, { client, params: request.params, session }));
}

/**
 * The consent screen's answer to a form_post request, delivered here (the consent action cannot
 * answer with the page that posts it): once, to the session that gave it. The code or ID token
 * is issued only now, so nothing secret waits in the database.
 */
async function deliverDecision(
  deps: AuthorizeDeps,
  request: PendingRequest,
  client: OAuthClient,
  session: PortalSessionInfo | null,
): Promise<AuthorizeOutcome> {
  if (!session || request.sessionId !== session.id) return page(CONSENT_PROBLEMS.other_session.title, CONSENT_PROBLEMS.other_session.description);
  const decision = await deps.stores.requests.takeDecision(request.id);
  if (decision === null) return page(EXPIRED_TITLE, EXPIRED);
  const { params } = request;
  if (decision === "deny") {
    // RFC 6749 §4.1.2.1: access_denied.
    return respond(errorResponse(deps.issuer, params.redirectUri, params.responseMode, new AccessDenied("The user denied the request"), params.state));
  }
  return respond(await issueResponse(deps, { client, params, session }));
}

// ---------------------------------------------------------------------------------------------
// The consent screen and its decision
// ---------------------------------------------------------------------------------------------

export interface ConsentView {
  requestId: string;
  client: Pick<OAuthClient, "name" | "ownerName" | "logoUrl" | "homepageUrl" | "verified">;
  /** Where the answer goes: the host of the redirect URI (the user can spot a look-alike). */
  redirectHost: string;
  /**
   * The host of the client ID metadata document the app identified itself with, shown as "from
   * <host>" (draft-ietf-oauth-client-id-metadata-document §6.5: display the client_id's hostname);
   * null for a client registered here.
   */
  documentHost: string | null;
  /** Every redirect URI of the app is a loopback address: the app runs on the user's own computer. */
  runsLocally: boolean;
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

function isLoopbackUri(uri: string): boolean {
  try {
    return isLoopbackRedirect(new URL(uri));
  } catch {
    return false;
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
      documentHost: isClientIdUrl(client.clientId) ? new URL(client.clientId).host : null,
      runsLocally: client.redirectUris.length > 0 && client.redirectUris.every(isLoopbackUri),
      newScopes: groupScopes(request.params.scope.filter((s) => !granted.includes(s)), apis),
      grantedScopes: groupScopes(request.params.scope.filter((s) => granted.includes(s)), apis),
    },
  };
}

/**
 * The user's answer on the consent screen. The client, scopes and redirect URI come from the
 * stored request, never from the form; the request must belong to this session, be open, and
 * is consumed atomically first, so that one request yields at most one answer.
 *
 * The answer is a redirect to the client (`response`), or, for response_mode=form_post, the path
 * of the continuation (`continueAt`), which delivers the recorded decision as the page that posts
 * it (Form Post Response Mode §2): a server action cannot answer with that page itself.
 */
export async function decideConsent(
  deps: AuthorizeDeps,
  input: { requestId: string; session: PortalSessionInfo; decision: ConsentDecision },
): Promise<{ ok: true; response: AuthorizationResponse } | { ok: true; continueAt: string } | { ok: false; problem: ConsentProblem }> {
  const { session } = input;
  const now = deps.now();
  const open = await loadOpenRequest(deps, input.requestId, now);
  if ("problem" in open) return { ok: false, problem: open.problem };
  const { request, client } = open;
  if (request.sessionId !== session.id) return { ok: false, problem: "other_session" };
  const { params } = request;
  const later = params.responseMode === "form_post";
  if (!(await deps.stores.requests.consume(request.id, now, later ? input.decision : undefined))) return { ok: false, problem: "decided" };
  const continueAt = `${ENDPOINT_PATHS.authorizationContinue}?request=${request.id}`;

  if (input.decision === "deny") {
    await deps.stores.audit.record({
      type: "consent.denied",
      actorId: session.userId,
      subjectId: session.userId,
      clientId: client.id,
      data: { scope: params.scope.join(" ") },
    });
    if (later) return { ok: true, continueAt };
    // RFC 6749 §4.1.2.1: access_denied.
    const err = new AccessDenied("The user denied the request");
    return { ok: true, response: errorResponse(deps.issuer, params.redirectUri, params.responseMode, err, params.state) };
  }

  await deps.stores.consents.grant(session.userId, client.id, params.scope); // audits consent.granted
  if (later) return { ok: true, continueAt };
  return { ok: true, response: await issueResponse(deps, { client, params, session }) };
}
