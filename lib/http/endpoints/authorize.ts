// GET+POST /oauth/authorize (RFC 6749 §4.1.1, OIDC Core §3.1.2.1) and
// GET /oauth/authorize/continue (where sign-in comes back to). Request -> lib/oauth/authorize
// -> a redirect or an error page. Every response is no-store; error pages cannot be framed.
import { escapeHtml, htmlDocument } from "../html-page";
import {
  authorize,
  continueAuthorization,
  type AuthorizeDeps,
  type AuthorizeOutcome,
} from "../../oauth/authorize";
import type { OAuthStores, PortalSessionInfo } from "../../oauth/types";
import { oauthDeps } from "../deps";
import { NO_STORE } from "../oauth-response";
import { sessionFromRequest } from "../portal-session";

export interface AuthorizeEndpointEnv {
  deps(): AuthorizeDeps;
  session(req: Request, stores: Pick<OAuthStores, "sessions">): Promise<PortalSessionInfo | null>;
}

const MAX_FORM_BYTES = 64 * 1024;

/** A small self-contained error page: no scripts, no external resources, escaped text. */
export function errorPage(status: number, title: string, description: string): Response {
  const html = htmlDocument(title, `<p>${escapeHtml(description)}</p>\n<p><a href="/">Return to Latchkey</a></p>`);
  return new Response(html, {
    status,
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      ...NO_STORE,
      // RFC 6749 §10.13: pages of the authorization server must not be framed.
      "X-Frame-Options": "DENY",
      "Content-Security-Policy": "frame-ancestors 'none'",
    },
  });
}

/**
 * RFC 9700 §4.12: after a POST, redirect with 303 so that the browser does not re-send the
 * form to the next hop; 302 after a GET (RFC 6749 §4.1.2).
 */
function toResponse(outcome: AuthorizeOutcome, redirectStatus: 302 | 303): Response {
  if (outcome.type === "page") return errorPage(outcome.status, outcome.title, outcome.description);
  const headers = new Headers({ Location: outcome.location, ...NO_STORE });
  return new Response(null, { status: redirectStatus, headers });
}

function unexpected(err: unknown): Response {
  console.error("Unexpected error in the authorization endpoint:", err instanceof Error ? err.stack : err);
  return errorPage(500, "Something went wrong", "Latchkey could not handle this request. Go back to the app and try again.");
}

/**
 * The form body of a POST authorization request, repeats kept: a repeated parameter is refused
 * by the checks, after the client is known (lib/http/form.ts's readForm refuses it earlier, when
 * there is nowhere to redirect the error yet).
 */
async function readRawForm(req: Request): Promise<URLSearchParams | null> {
  const type = req.headers.get("content-type") ?? "";
  if (!type.toLowerCase().startsWith("application/x-www-form-urlencoded")) return null;
  const text = await req.text().catch(() => null);
  if (text === null || text.length > MAX_FORM_BYTES) return null;
  return new URLSearchParams(text);
}

export function authorizeEndpoints(env: AuthorizeEndpointEnv) {
  async function run(req: Request, raw: URLSearchParams, redirectStatus: 302 | 303): Promise<Response> {
    try {
      const deps = env.deps();
      return toResponse(await authorize(deps, raw, () => env.session(req, deps.stores)), redirectStatus);
    } catch (err) {
      return unexpected(err);
    }
  }

  return {
    /** GET /oauth/authorize */
    async GET(req: Request): Promise<Response> {
      return run(req, new URL(req.url).searchParams, 302);
    },

    /** POST /oauth/authorize (OIDC Core §3.1.2.1: the same parameters, form-encoded). */
    async POST(req: Request): Promise<Response> {
      const raw = await readRawForm(req);
      if (!raw) {
        return errorPage(400, "Invalid request", "The authorization request must be sent as a form (application/x-www-form-urlencoded).");
      }
      return run(req, raw, 303);
    },

    /** GET /oauth/authorize/continue?request=ID */
    async continueGET(req: Request): Promise<Response> {
      try {
        const deps = env.deps();
        const requestId = new URL(req.url).searchParams.get("request");
        return toResponse(await continueAuthorization(deps, requestId, () => env.session(req, deps.stores)), 302);
      } catch (err) {
        return unexpected(err);
      }
    },
  };
}

const live = authorizeEndpoints({ deps: oauthDeps, session: sessionFromRequest });

export const authorizeGET = live.GET;
export const authorizePOST = live.POST;
export const authorizeContinueGET = live.continueGET;
