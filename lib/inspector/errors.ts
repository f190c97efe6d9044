// Plain-words explanations of what went wrong at each step, for a developer reading the
// inspector. They add the likely cause and the fix to the wire error code.

export type AuthMethod = "client_secret_basic" | "client_secret_post" | "none";

/** The error of an authorization response (step C): RFC 6749 §4.1.2.1, OIDC Core §3.1.2.6. */
export function explainAuthorizationError(error: string, description: string | null): string {
  const said = description ? ` The server said: "${description}".` : "";
  switch (error) {
    case "access_denied":
      return `The user (or the server) refused: most often Deny was pressed on the consent screen. Nothing was granted.${said}`;
    case "invalid_scope":
      return `A requested scope is unknown or not allowed for this client. Ask only for the scopes registered on the client, or leave scope out to get all of them (RFC 6749 §3.3); without scope this error means the client has no registered scope it may use.${said}`;
    case "invalid_request":
      return `The authorization request is malformed: a parameter is missing, repeated or invalid (for example a PKCE code_challenge that is not 43 characters of base64url).${said}`;
    case "unauthorized_client":
      return `This client may not use the authorization code flow: add authorization_code to its grant types.${said}`;
    case "unsupported_response_type":
      return `The server supports response_type=code (and id_token, for sign-in only); never token or the hybrid types (RFC 9700 §2.1.2).${said}`;
    case "login_required":
    case "consent_required":
    case "interaction_required":
      return `prompt=none was asked for, but the user would have to sign in or consent first.${said}`;
    case "server_error":
    case "temporarily_unavailable":
      return `The server failed to handle the request; try again, and check the server's logs if it repeats.${said}`;
    default:
      return `The server answered with the error "${error}".${said}`;
  }
}

export type TokenCall = "code" | "refresh" | "revoke" | "introspect";

/** An error from the token, revocation or introspection endpoint: RFC 6749 §5.2, RFC 7009 §2.2.1. */
export function explainTokenError(
  call: TokenCall,
  error: string,
  description: string | null,
  ctx: { authMethod: AuthMethod; codeLifetimeSeconds?: number },
): string {
  const said = description ? ` The server said: "${description}".` : "";
  switch (error) {
    case "invalid_client":
      if (description) {
        const wrong = explainWrongAuthMethod(description);
        if (wrong) return `${wrong}${said}`;
      }
      return ctx.authMethod === "none"
        ? `Client authentication failed: this is a public client, so it must send only its client_id, no secret.${said}`
        : `Client authentication failed: the secret doesn't match this client's current secret (a secret is shown only once, when the client is created or its secret rotated), or it was sent with another method than the registered ${ctx.authMethod}.${said}`;
    case "invalid_grant":
      if (call === "code") {
        const life = ctx.codeLifetimeSeconds ? ` (codes live ${ctx.codeLifetimeSeconds} seconds)` : "";
        return `The code was already used or expired${life}, or the redirect_uri or code_verifier differ from step A. A code works exactly once: start again at step A for a new one.${said}`;
      }
      return `The refresh token was already used (each use replaces it with a new one), revoked, or expired. Reusing an old refresh token also revokes every token of the grant (RFC 9700 §4.14).${said}`;
    case "unauthorized_client":
      return `This client may not use this grant type: add ${call === "refresh" ? "refresh_token" : "authorization_code"} to its grant types.${said}`;
    case "unsupported_grant_type":
      return `The server does not support this grant_type.${said}`;
    case "invalid_scope":
      return `The requested scope is not part of the original grant.${said}`;
    case "invalid_request":
      return `The request is malformed: a parameter is missing or repeated, or the body is not a form.${said}`;
    case "unsupported_token_type":
      return `The server cannot revoke this kind of token.${said}`;
    case "server_error":
      return `The server failed to handle the request; check its logs.${said}`;
    default:
      return `The server answered with the error "${error}".${said}`;
  }
}

/** How to present the secret with each method (RFC 6749 §2.3.1, OIDC Core §9). */
const HOW_TO_SEND: Record<AuthMethod, string> = {
  client_secret_basic:
    "in the Authorization header, as Basic base64(client_id:client_secret) with both form-urlencoded first, and no client_secret in the body",
  client_secret_post: "as client_id and client_secret fields of the form body, and no Authorization header",
  none: "not at all: send only client_id in the form body",
};

const WRONG_METHOD = /^This client is registered for (client_secret_basic|client_secret_post|none); it sent (client_secret_basic|client_secret_post|none)$/;

/**
 * The invalid_client of lib/oauth/client-auth.ts for the right secret sent the wrong way
 * ("This client is registered for X; it sent Y"): the secret is fine, only where it goes is not.
 * Null for any other description.
 */
function explainWrongAuthMethod(description: string): string | null {
  const m = WRONG_METHOD.exec(description);
  if (!m) return null;
  const registered = m[1] as AuthMethod;
  const sent = m[2] as AuthMethod;
  return `The secret is right, but it was sent with ${sent} while this client is registered for ${registered} (RFC 7591 §2 token_endpoint_auth_method). Send it the registered way: ${HOW_TO_SEND[registered]}. Or change the client's token endpoint auth method to ${sent}.`;
}

/** An error from the UserInfo endpoint (RFC 6750 §3.1). */
export function explainUserinfoError(status: number, error: string | null, description: string | null): string {
  const said = description ? ` The server said: "${description}".` : "";
  if (error === "invalid_token" || (status === 401 && !error)) {
    return `The access token was refused: it is revoked, expired or not one of this server's tokens. Get a new one with the refresh token, or start again at step A.${said}`;
  }
  if (error === "insufficient_scope") return `The access token lacks the openid scope, which UserInfo requires (OIDC Core §5.3).${said}`;
  if (error === "invalid_request") return `The request is malformed (for example the token was sent two ways at once).${said}`;
  return `The server answered ${status}${error ? ` with the error "${error}"` : ""}.${said}`;
}

/**
 * Step A, before the browser goes anywhere: the inspector's callback must be a registered
 * redirect URI, or the authorization endpoint refuses to redirect at all (RFC 6749 §3.1.2.4).
 */
export function explainMissingCallback(callback: string, registered: readonly string[]): string {
  const list = registered.length ? `you registered ${registered.join(", ")}` : "this client has no redirect URIs";
  return `redirect_uri does not match any registered URI: the inspector uses ${callback}, but ${list}. The authorization endpoint would show an error page instead of coming back here.`;
}
