// One line of plain words per parameter, header and claim the inspector shows. Where a spec
// defines the name, the line says which.

/** RFC 6749 §4.1.1, RFC 7636 §4.3, OIDC Core §3.1.2.1. */
export const AUTHORIZE_PARAMS: Record<string, string> = {
  response_type: "\"code\": ask for an authorization code, to be exchanged for tokens at the token endpoint (RFC 6749 §4.1.1).",
  client_id: "Which client is asking: the public identifier issued when the client was registered.",
  redirect_uri: "Where the browser is sent back with the code; must exactly match a registered redirect URI (RFC 6749 §3.1.2).",
  scope: "What the client asks to be allowed, space-separated; the user sees these on the consent screen. Left out, the client's registered scopes are asked for (RFC 6749 §3.3).",
  state: "A random value the client remembers and checks on return, so that a forged redirect is rejected (CSRF, RFC 6749 §10.12).",
  nonce: "A random value the server copies into the ID token, so that a replayed ID token is rejected (OIDC Core §3.1.2.1).",
  resource: "The API the access token is for (RFC 8707 §2): the token's aud will be this identifier, and the API's validator refuses tokens for anyone else.",
  code_challenge: "BASE64URL(SHA-256(code_verifier)): binds the code to this client instance (PKCE, RFC 7636 §4.2).",
  code_challenge_method: "\"S256\": the challenge is the SHA-256 of the verifier, never the verifier itself (RFC 7636 §4.3).",
};

/** RFC 7515 §4.1, RFC 9068 §2.1. */
export const JWT_HEADER: Record<string, string> = {
  alg: "The signature algorithm.",
  kid: "Which of the server's published keys (JWKS) signed it.",
  typ: "The token's type: \"at+jwt\" for an access token (RFC 9068 §2.1), \"JWT\" for an ID token.",
};

/** RFC 7519 §4.1, RFC 9068 §2.2, OIDC Core §2 and §5.1. */
export const CLAIMS: Record<string, string> = {
  iss: "Issuer: who made the token; must equal this server's issuer.",
  sub: "Subject: the user's stable identifier at this server (for client_credentials, the client).",
  aud: "Audience: who the token is for (the client_id for an ID token, the resource server for an access token).",
  exp: "Expires at (seconds since 1970, UTC); reject the token after this.",
  iat: "Issued at (seconds since 1970, UTC).",
  nbf: "Not valid before (seconds since 1970, UTC).",
  jti: "A unique id of this token (lets the server revoke it).",
  client_id: "The client the access token was issued to (RFC 9068 §2.2).",
  scope: "The scopes the access token carries (RFC 9068 §2.2.3).",
  auth_time: "When the user last actually signed in (seconds since 1970, UTC).",
  azp: "Authorized party: the client the ID token was issued to (OIDC Core §2).",
  nonce: "The nonce from step A, echoed back; the client must check it matches (OIDC Core §3.1.3.7).",
  at_hash: "Left half of SHA-256 of the access token: ties this ID token to that access token (OIDC Core §3.1.3.6).",
  sid: "The sign-in session id at the server (used by logout).",
  name: "The user's full name (profile scope).",
  email: "The user's email address (email scope).",
  email_verified: "Whether the server has verified that email address (email scope).",
  updated_at: "When the user's profile last changed (seconds since 1970, UTC).",
};

/** The meaning of `name` in `table`, or a fallback that says it is not explained here. */
export function explain(table: Record<string, string>, name: string): string {
  return Object.hasOwn(table, name) ? table[name]! : "Not a standard claim this inspector knows.";
}

/** RFC 6749 §4.1.2 and §4.1.2.1, RFC 9207 §2. */
export const CALLBACK_PARAMS: Record<string, string> = {
  code: "The authorization code: short-lived, single use, worthless without the PKCE verifier (and the client secret).",
  state: "Should be exactly the state sent in step A.",
  iss: "The issuer that sent this response; the client compares it with the server it talked to (RFC 9207).",
  error: "Why there is no code (RFC 6749 §4.1.2.1).",
  error_description: "Human-readable detail from the server, for the developer.",
  session_state: "OpenID Connect session management value.",
};
