// GET and POST /oauth/logout (OpenID Connect RP-Initiated Logout 1.0): lib/oauth decides; here
// the session row is revoked, the cookie cleared, and the user redirected, asked to confirm,
// or shown why the request cannot be honoured. A confirmation only counts when it is POSTed
// from our own page (Origin = the issuer's origin), so another site cannot sign users out.
import { escapeHtml, htmlPage } from "../html-page";
import { data, oauthDeps } from "../../runtime";
import type { Endpoint, PlainRequest, PlainResponse } from "../endpoint";
import { paramsFrom, queryOf, readForm } from "../form";
import { NO_STORE } from "../oauth-response";
import { clearSessionCookies, sessionFromRequest } from "../../auth/portal-session";
import { ENDPOINT_PATHS } from "../../oauth/endpoints";
import { endSession, LogoutRefused, type EndSessionOutcome } from "../../oauth/end-session";
import { OAuthError, TemporarilyUnavailable } from "../../oauth/errors";
import type { OAuthDeps, PortalSessionInfo } from "../../oauth/types";

export interface EndSessionDeps {
  oauth: OAuthDeps;
  currentSession(req: PlainRequest): Promise<PortalSessionInfo | null>;
  revokeSession(id: string): Promise<void>;
}

/**
 * Pages here must not be framed (clickjacking a "Sign out" button), nor cached (htmlPage). The
 * Origin check below needs Referrer-Policy same-origin (security-headers.mjs says why; the
 * page says it again in a meta tag): under no-referrer a browser sends `Origin: null` on our
 * own form POST.
 */
function page(status: number, title: string, body: string, developerDetails?: string): PlainResponse {
  return htmlPage(status, title, body, { extraHead: '<meta name="referrer" content="same-origin">\n', developerDetails });
}

/** `detail`: the exact reason, for the app's developer ("Details for developers"). */
function errorPage(status: number, message: string, detail?: string): PlainResponse {
  return page(status, "Cannot sign out", `<p>${escapeHtml(message)}</p>\n<p><a href="/">Go to Latchkey</a></p>`, detail ? `HTTP ${status}: ${detail}` : undefined);
}

function confirmPage(outcome: Extract<EndSessionOutcome, { kind: "confirm" }>): PlainResponse {
  const inputs = Object.entries({ ...outcome.fields, confirm: "yes" })
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join("\n");
  const app = outcome.client ? escapeHtml(outcome.client.name) : null;
  if (!outcome.signedIn) {
    // Only reached when an application asked to be sent back without proving who it is.
    return page(
      200,
      "You are signed out",
      `<p>You are not signed in to Latchkey.${app ? ` Continue to ${app}?` : ""}</p>
<form method="post" action="${ENDPOINT_PATHS.endSession}">
${inputs}
<div class="actions"><button type="submit">Continue</button></div>
</form>`,
    );
  }
  return page(
    200,
    "Sign out",
    `<p>${app ? `${app} asks to sign you out of Latchkey.` : "Do you want to sign out of Latchkey?"}</p>
<form method="post" action="${ENDPOINT_PATHS.endSession}">
${inputs}
<div class="actions"><button type="submit">Sign out</button><a href="/">Stay signed in</a></div>
</form>`,
  );
}

function signedOut(location: string): PlainResponse {
  return { status: 302, headers: { ...NO_STORE, Location: location, "Set-Cookie": clearSessionCookies() }, body: "" };
}

export function makeEndSession(deps: () => EndSessionDeps): Endpoint {
  return async function endSessionEndpoint(req) {
    try {
      const d = deps();
      const post = req.method === "POST";
      // §2: GET with query parameters, or POST with a form body.
      const params = post ? await readForm(req) : paramsFrom(queryOf(req.url));
      let confirmed = false;
      if (post && params.get("confirm") === "yes") {
        if (req.headers.get("origin") !== new URL(d.oauth.issuer).origin) {
          return errorPage(
            403,
            "This sign-out request did not come from Latchkey's own page. Start again from the application.",
            `a POST with confirm=yes must come from ${new URL(d.oauth.issuer).origin} (its Origin header was ${JSON.stringify(req.headers.get("origin"))}).`,
          );
        }
        confirmed = true;
      }
      const session = await d.currentSession(req);
      const outcome = await endSession(d.oauth, params, session, confirmed);
      if (outcome.kind === "confirm") return confirmPage(outcome);
      if (outcome.sessionId) {
        await d.revokeSession(outcome.sessionId);
        await d.oauth.stores.audit.record({
          type: "session.ended",
          actorId: outcome.userId,
          subjectId: outcome.userId,
          clientId: outcome.client?.id ?? null,
          data: { via: "end_session_endpoint" },
        });
      }
      return signedOut(outcome.location);
    } catch (err) {
      if (err instanceof OAuthError) {
        const page = errorPage(err.status, err.description, `${err.error}: ${err instanceof LogoutRefused ? err.developerDetail : err.description}`);
        // The database is away: 503, come back later (RFC 9110 §10.2.3).
        if (err instanceof TemporarilyUnavailable) page.headers["Retry-After"] = String(err.retryAfterSeconds);
        return page;
      }
      // A bug: logged with its stack by whoever serves the response (its fault).
      const r = errorPage(500, "Something went wrong while signing you out. Please try again.");
      r.fault = err;
      return r;
    }
  };
}

function defaultDeps(): EndSessionDeps {
  const oauth = oauthDeps();
  return {
    oauth,
    currentSession: (req) => sessionFromRequest(req, oauth.stores),
    async revokeSession(id) {
      await data().sessions.revoke(id);
    },
  };
}

// GET and POST alike (RP-Initiated Logout 1.0 §2).
export const endSessionEndpoint = makeEndSession(defaultDeps);
