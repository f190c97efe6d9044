// GET+POST /oauth/authorize (RFC 6749 §4.1.1, OIDC Core §3.1.2.1) and
// GET /oauth/authorize/continue (where sign-in comes back to). Request -> lib/oauth/authorize
// -> a redirect, a form_post page or an error page. Every response is no-store; pages cannot be
// framed.
// A hot path (every sign-in to an app): see docs/architecture.md.
import { errorPage } from "../html-page";
import { formPostPage } from "../form-post-page";
import { responseLocation } from "../../oauth/authorization-response";
import { isDatabaseUnavailable } from "../../db/errors";
import { TemporarilyUnavailable } from "../../oauth/errors";
import {
  authorize,
  continueAuthorization,
  unavailablePage,
  type AuthorizeDeps,
  type AuthorizeOutcome,
} from "../../oauth/authorize";
import type { OAuthStores, PortalSessionInfo } from "../../oauth/types";
import { anonymousWrites, clientDocumentFetches, oauthDeps } from "../../runtime";
import type { Endpoint, PlainRequest, PlainResponse } from "../endpoint";
import { queryOf, type FormSource } from "../form";
import { NO_STORE } from "../oauth-response";
import { sessionFromRequest } from "../../auth/portal-session";
import { requestIp } from "../anonymous-writes";

export interface AuthorizeEndpointEnv {
  deps(): AuthorizeDeps;
  session(req: Pick<FormSource, "headers">, stores: Pick<OAuthStores, "sessions">): Promise<PortalSessionInfo | null>;
  /** ANONYMOUS_WRITES_PER_MINUTE for the request's address (lib/http/anonymous-writes.ts). */
  admitAnonymous?(req: Pick<FormSource, "headers">): number | null;
  /** CLIENT_METADATA_FETCHES_PER_MINUTE: a client metadata document fetch for the request's address. */
  admitDocumentFetch?(req: Pick<FormSource, "headers">): number | null;
}

const MAX_FORM_BYTES = 64 * 1024;

/**
 * RFC 9700 §4.12: after a POST, redirect with 303 so that the browser does not re-send the
 * form to the next hop; 302 after a GET (RFC 6749 §4.1.2). A form_post response is a page that
 * posts itself to the client (Form Post Response Mode §2).
 */
function outcomeResponse(outcome: AuthorizeOutcome, redirectStatus: 302 | 303): PlainResponse {
  if (outcome.type === "page") {
    const r = errorPage(outcome.status, outcome.title, outcome.description, outcome.detail);
    if (outcome.retryAfterSeconds !== undefined) r.headers["Retry-After"] = String(outcome.retryAfterSeconds);
    return r;
  }
  if (outcome.type === "respond" && outcome.response.mode === "form_post") return formPostPage(outcome.response);
  const location = outcome.type === "respond" ? responseLocation(outcome.response) : outcome.location;
  return { status: redirectStatus, headers: { Location: location, ...NO_STORE }, body: "" };
}

/** A bug: a page for the user; the error goes to the log with its stack (the response's fault). */
function unexpected(err: unknown): PlainResponse {
  // The database is away before the client is known: 503 page, nothing of the error shown.
  if (err instanceof TemporarilyUnavailable || isDatabaseUnavailable(err)) return outcomeResponse(unavailablePage(), 302);
  const r = errorPage(500, "Something went wrong", "Latchkey could not handle this request. Go back to the app and try again.");
  r.fault = err;
  return r;
}

/**
 * The form body of a POST authorization request, repeats kept: a repeated parameter is refused
 * by the checks, after the client is known (lib/http/form.ts's readForm refuses it earlier, when
 * there is nowhere to redirect the error yet).
 */
async function readRawForm(req: PlainRequest): Promise<URLSearchParams | null> {
  const type = req.headers.get("content-type") ?? "";
  if (!type.toLowerCase().startsWith("application/x-www-form-urlencoded")) return null;
  const text = await req.text().catch(() => null);
  if (text === null || text.length > MAX_FORM_BYTES) return null;
  return new URLSearchParams(text);
}

export function authorizeEndpoints(env: AuthorizeEndpointEnv): Record<"GET" | "POST" | "continueGET", Endpoint> {
  async function run(req: PlainRequest, raw: URLSearchParams, redirectStatus: 302 | 303): Promise<PlainResponse> {
    try {
      const deps = env.deps();
      const { admitAnonymous: admit, admitDocumentFetch: admitFetch } = env;
      const outcome = await authorize(
        deps,
        raw,
        () => env.session(req, deps.stores),
        admit ? () => admit(req) : undefined,
        admitFetch ? () => admitFetch(req) : undefined,
      );
      return outcomeResponse(outcome, redirectStatus);
    } catch (err) {
      return unexpected(err);
    }
  }

  return {
    /** GET /oauth/authorize */
    GET: async (req) => run(req, queryOf(req.url), 302),

    /** POST /oauth/authorize (OIDC Core §3.1.2.1: the same parameters, form-encoded). */
    async POST(req) {
      const raw = await readRawForm(req);
      if (!raw) {
        return errorPage(400, "Invalid request", "The authorization request must be sent as a form (application/x-www-form-urlencoded).");
      }
      return run(req, raw, 303);
    },

    /** GET /oauth/authorize/continue?request=ID */
    async continueGET(req) {
      try {
        const deps = env.deps();
        const requestId = queryOf(req.url).get("request");
        return outcomeResponse(await continueAuthorization(deps, requestId, () => env.session(req, deps.stores)), 302);
      } catch (err) {
        return unexpected(err);
      }
    },
  };
}

const live = authorizeEndpoints({
  deps: oauthDeps,
  session: sessionFromRequest,
  admitAnonymous: (req) => anonymousWrites().take(requestIp(req.headers)),
  admitDocumentFetch: (req) => clientDocumentFetches().take(requestIp(req.headers)),
});

export const authorizeGET = live.GET;
export const authorizePOST = live.POST;
export const authorizeContinueGET = live.continueGET;
