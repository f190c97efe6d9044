// RP-Initiated Logout 1.0: decide what a logout request does. The HTTP side (lib/http) revokes
// the session, clears the cookie, redirects, or renders the confirmation and error pages.
//
// Rules, in order (spec sections in brackets):
// 1. id_token_hint, when valid, is an ID token we issued (signature and iss; expiry ignored)
//    [§2]. An invalid hint counts as no hint: the user is asked instead [§4].
// 2. The client is the hint's audience or client_id; both given and different is an error [§2].
// 3. post_logout_redirect_uri must exactly match one the client registered, else an error page
//    and no redirect [§3]; without it the user lands on our sign-in page.
// 4. Signing out happens without asking only on a valid hint for the current session (or when
//    there is no session to end). Otherwise the user confirms first [§2, §6]; and without a
//    valid hint, we never redirect to the client unless the user confirmed [§3].
import { z } from "zod";
import { endpointUrl } from "./endpoints";
import { InvalidRequest } from "./errors";
import { asciiUri } from "./redirect-uri";
import type { OAuthClient, OAuthDeps, PortalSessionInfo } from "./types";

export interface LogoutParams {
  idTokenHint: string | null;
  postLogoutRedirectUri: string | null;
  state: string | null;
  clientId: string | null;
}

/** §2 request parameters (logout_hint and ui_locales are accepted and ignored). */
export function logoutParams(params: Map<string, string>): LogoutParams {
  return {
    idTokenHint: params.get("id_token_hint") ?? null,
    postLogoutRedirectUri: params.get("post_logout_redirect_uri") ?? null,
    state: params.get("state") ?? null,
    clientId: params.get("client_id") ?? null,
  };
}

export type EndSessionOutcome =
  /** End `sessionId` (if any), clear the cookie, and redirect to `location`. */
  | { kind: "sign-out"; sessionId: string | null; userId: string | null; client: OAuthClient | null; location: string }
  /** Ask the user; the form posts `fields` back (plus confirm=yes). */
  | { kind: "confirm"; signedIn: boolean; client: OAuthClient | null; fields: Record<string, string> };

const hintClaimsSchema = z.object({
  sub: z.string(),
  aud: z.union([z.string(), z.array(z.string())]),
  azp: z.string().optional(),
  sid: z.string().optional(),
});

/** invalid_request, with the exact reason for the app's developer (the error page's "Details for developers"). */
export class LogoutRefused extends InvalidRequest {
  constructor(
    description: string,
    readonly developerDetail: string,
  ) {
    super(description);
  }
}

interface Hint {
  clientId: string;
  sid: string | null;
}

/** The hint's client and session, or null when it is not an ID token we issued. */
async function verifyHint(deps: OAuthDeps, hint: string): Promise<Hint | null> {
  if (hint.length > 8192) return null;
  let raw: Record<string, unknown>;
  try {
    // typ JWT: an access token (at+jwt) is not an ID token.
    raw = await deps.keys.verify(hint, { typ: "JWT", allowExpired: true });
  } catch {
    return null;
  }
  const parsed = hintClaimsSchema.safeParse(raw);
  if (!parsed.success) return null;
  const { aud, azp, sid } = parsed.data;
  const clientId = typeof aud === "string" ? aud : azp && aud.includes(azp) ? azp : aud.length === 1 ? aud[0] : undefined;
  return clientId ? { clientId, sid: sid ?? null } : null;
}

/** §3: state is passed back as a query parameter of the post-logout redirect. */
function withState(registered: string, state: string | null): string {
  // ASCII for the Location header, for a URI registered before non-ASCII ones were refused.
  const uri = asciiUri(registered);
  if (state === null) return uri;
  return `${uri}${uri.includes("?") ? "&" : "?"}${new URLSearchParams({ state }).toString()}`;
}

export async function endSession(
  deps: OAuthDeps,
  params: Map<string, string>,
  session: PortalSessionInfo | null,
  confirmed: boolean,
): Promise<EndSessionOutcome> {
  const p = logoutParams(params);

  const hint = p.idTokenHint ? await verifyHint(deps, p.idTokenHint) : null;
  if (hint && p.clientId && hint.clientId !== p.clientId) {
    throw new LogoutRefused(
      "client_id does not match the client of the ID token hint.",
      `client_id "${p.clientId.slice(0, 100)}" differs from the ID token hint's client "${hint.clientId.slice(0, 100)}" (RP-Initiated Logout 1.0 §2).`,
    );
  }

  const clientId = hint?.clientId ?? p.clientId;
  const found = clientId ? await deps.stores.clients.findByClientId(clientId) : null;
  const client = found && !found.suspended ? found : null;
  if (p.clientId && !client) {
    throw new LogoutRefused(
      "The application asking to sign you out is not known.",
      `client_id "${p.clientId.slice(0, 100)}" is ${found ? "suspended by an administrator" : "not registered on this server"}.`,
    );
  }

  if (p.postLogoutRedirectUri !== null) {
    // §3: exact string match against the registered values; no redirect otherwise.
    if (!client?.postLogoutRedirectUris.includes(p.postLogoutRedirectUri)) {
      throw new LogoutRefused(
        "The address to return to after signing out is not registered for this application.",
        client
          ? `post_logout_redirect_uri "${p.postLogoutRedirectUri.slice(0, 300)}" does not exactly match any of the ${client.postLogoutRedirectUris.length} post-logout redirect URIs registered for client_id "${client.clientId}" (RP-Initiated Logout 1.0 §3: exact string match).`
          : "post_logout_redirect_uri needs the client: send id_token_hint or client_id (RP-Initiated Logout 1.0 §3).",
      );
    }
  }
  const location =
    p.postLogoutRedirectUri !== null ? withState(p.postLogoutRedirectUri, p.state) : endpointUrl(deps.issuer, "signIn");

  const hintIsForThisSession = hint !== null && (session === null || hint.sid === session.sid);
  const nothingToAsk = session === null && p.postLogoutRedirectUri === null;
  if (confirmed || hintIsForThisSession || nothingToAsk) {
    return { kind: "sign-out", sessionId: session?.id ?? null, userId: session?.userId ?? null, client, location };
  }

  const fields: Record<string, string> = {};
  if (p.idTokenHint) fields.id_token_hint = p.idTokenHint;
  if (p.postLogoutRedirectUri !== null) fields.post_logout_redirect_uri = p.postLogoutRedirectUri;
  if (p.state !== null) fields.state = p.state;
  if (p.clientId) fields.client_id = p.clientId;
  return { kind: "confirm", signedIn: session !== null, client, fields };
}
