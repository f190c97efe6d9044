// Dynamic client registration (RFC 7591) and its management protocol (RFC 7592), the pure part:
// request bodies -> validated client metadata, stored clients -> response documents, and the
// errors of RFC 7591 §3.2.2. The same schema as the dashboard and the CLI validates the metadata
// (./client-metadata.ts); storage and HTTP live in lib/db/registration.ts and
// lib/http/endpoints/registration.ts.
import { hasControlChars } from "./text";
import { makeClientMetadataSchema, type ClientMetadata, type IdTokenAlg } from "./client-metadata";
import { ENDPOINT_PATHS } from "./endpoints";
import { InvalidToken, OAuthError } from "./errors";

/** RFC 7591 §3.2.2: the value of one or more redirection URIs is invalid. */
export class InvalidRedirectUri extends OAuthError {
  constructor(description: string) {
    super("invalid_redirect_uri", description, 400);
  }
}

/** RFC 7591 §3.2.2: the value of one of the client metadata fields is invalid. */
export class InvalidClientMetadata extends OAuthError {
  constructor(description: string) {
    super("invalid_client_metadata", description, 400);
  }
}

/**
 * OpenID Connect Dynamic Client Registration 1.0 §2, id_token_signed_response_alg: "The default,
 * if omitted, is RS256." Relying-party libraries that register dynamically rely on it (some pin
 * RS256 and reject anything else), so a registration or update (RFC 7592 §2.2: omitted fields take
 * their defaults) without the field gets RS256. The CLI and the dashboard keep ES256.
 */
export const DYNAMIC_REGISTRATION_ID_TOKEN_ALG: IdTokenAlg = "RS256";

/** Where the client's configuration lives (RFC 7592 §3: registration_client_uri). */
export const REGISTRATION_PATH = ENDPOINT_PATHS.registration;
export const registrationClientUri = (issuer: string, clientId: string) =>
  `${issuer}${REGISTRATION_PATH}/${encodeURIComponent(clientId)}`;

/**
 * Fields the server sets and the client may never send in an update (RFC 7592 §2.2: the request
 * MUST NOT include them; "the authorization server MUST treat them as an error").
 */
const SERVER_SET_FIELDS = ["registration_access_token", "registration_client_uri", "client_id_issued_at", "client_secret_expires_at"] as const;

/** A Bearer credential from the Authorization header (RFC 6750 §2.1), or null when none is sent. */
export function bearerCredential(authorization: string | null): string | null {
  if (authorization === null) return null;
  const m = /^bearer[ ]+([A-Za-z0-9\-._~+/]+=*)[ ]*$/i.exec(authorization);
  // A header in another scheme or a malformed one presents no valid token: the caller answers
  // 401 invalid_token (RFC 6750 §3.1).
  return m ? m[1]! : "";
}

export const invalidInitialAccessToken = () =>
  new InvalidToken("The initial access token is missing, invalid, expired or revoked");
/** RFC 7592 §2: the same answer whether the client exists or not, so that it does not leak. */
export const invalidRegistrationAccessToken = () =>
  new InvalidToken("The registration access token is missing or invalid for this client");

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** "redirect_uris[1]" for the issue path ["redirect_uris", 1]. */
function fieldName(path: readonly PropertyKey[]): string {
  return path.reduce<string>((s, p) => (typeof p === "number" ? `${s}[${p}]` : s ? `${s}.${String(p)}` : String(p)), "");
}

/**
 * The client metadata of a registration (RFC 7591 §3.1) or update (RFC 7592 §2.2) body.
 * Unknown fields are ignored (RFC 7591 §2: the server MUST ignore metadata it does not
 * understand); omitted fields take the schema's defaults (an update replaces the whole
 * configuration, RFC 7592 §2.2). Throws invalid_redirect_uri for a refused redirect URI,
 * invalid_client_metadata otherwise, naming the field (§3.2.2).
 */
export function parseClientMetadata(body: unknown, issuer?: string, apiScopes?: ReadonlySet<string>): ClientMetadata {
  if (!isObject(body)) throw new InvalidClientMetadata("The request body must be a JSON object of client metadata");
  // RFC 7591 §2.1: response_types must agree with grant_types; served: code (authorization_code)
  // and id_token (implicit, OIDC Core §3.2).
  const responseTypes = body.response_types;
  if (responseTypes !== undefined) {
    if (!Array.isArray(responseTypes) || responseTypes.some((t) => t !== "code" && t !== "id_token")) {
      throw new InvalidClientMetadata("response_types: only 'code' and 'id_token' are supported");
    }
  }
  // The same rules as the dashboard's form, including: no redirect URI on this server's own
  // origin (RFC 9700 §4.11, no open redirector). id_token_user_claims is the dashboard's and the
  // CLI's (no registration metadata names it): a registered client gets the default.
  const { id_token_user_claims: _notRegistrationMetadata, ...fields } = body;
  const r = makeClientMetadataSchema({ issuer, defaultIdTokenAlg: DYNAMIC_REGISTRATION_ID_TOKEN_ALG, apiScopes }).safeParse(fields);
  if (!r.success) {
    const redirect = r.error.issues.find((i) => i.path[0] === "redirect_uris");
    if (redirect) throw new InvalidRedirectUri(`${fieldName(redirect.path)}: ${redirect.message}`);
    const first = r.error.issues[0]!;
    throw new InvalidClientMetadata(`${fieldName(first.path) || "body"}: ${first.message}`);
  }
  const meta = r.data;
  if (Array.isArray(responseTypes) && responseTypes.includes("code") && !meta.grant_types.includes("authorization_code")) {
    throw new InvalidClientMetadata("response_types: 'code' needs the authorization_code grant type");
  }
  if (Array.isArray(responseTypes) && responseTypes.includes("id_token") && !meta.grant_types.includes("implicit")) {
    throw new InvalidClientMetadata("response_types: 'id_token' needs the implicit grant type");
  }
  return meta;
}

/**
 * The client metadata of an open registration (OPEN_REGISTRATION, no initial access token): the
 * policy for MCP clients and other public apps that register themselves. Anyone can do it, so it
 * is restricted to public clients (token_endpoint_auth_method "none"), which the schema then
 * holds to the code flow (authorization_code, with refresh_token if asked) and PKCE (RFC 9700
 * §2.1.1). An omitted method is taken as "none" (RFC 7591 §3.2.1 lets the server substitute a
 * value; the response says which one was registered) instead of RFC 7591 §2's default
 * client_secret_basic; a confidential method that is asked for is refused (§3.2.2).
 */
export function parseOpenRegistration(body: unknown, issuer?: string, apiScopes?: ReadonlySet<string>): ClientMetadata {
  if (isObject(body)) {
    const method = body.token_endpoint_auth_method;
    if (method !== undefined && method !== "none") {
      throw new InvalidClientMetadata(
        "token_endpoint_auth_method: registration without an initial access token is open to public clients only (none); a confidential client needs an initial access token from this server's administrator",
      );
    }
    return parseClientMetadata({ ...body, token_endpoint_auth_method: "none" }, issuer, apiScopes);
  }
  return parseClientMetadata(body, issuer, apiScopes);
}

export interface UpdateRequest {
  metadata: ClientMetadata;
  /** The client_secret the request carried, to be checked against the current one. */
  clientSecret: string | null;
}

/** RFC 7592 §2.2: the body of a client update request for `clientId`. */
export function parseUpdateRequest(body: unknown, clientId: string, issuer?: string, apiScopes?: ReadonlySet<string>): UpdateRequest {
  if (!isObject(body)) throw new InvalidClientMetadata("The request body must be a JSON object of client metadata");
  // §2.2: "This request MUST include all client metadata fields ... including client_id".
  if (body.client_id !== clientId) throw new InvalidClientMetadata("client_id: must be present and match this client");
  // §2.2: these "MUST NOT be included"; the server "MUST treat them as an error".
  for (const f of SERVER_SET_FIELDS) {
    if (f in body) throw new InvalidClientMetadata(`${f}: must not be sent in an update`);
  }
  const secret = body.client_secret;
  if (secret !== undefined && typeof secret !== "string") throw new InvalidClientMetadata("client_secret: must be a string");
  return { metadata: parseClientMetadata(body, issuer, apiScopes), clientSecret: secret ?? null };
}

/** A client as the registration endpoints describe it. */
export interface RegisteredClient {
  clientId: string;
  issuedAt: Date;
  metadata: ClientMetadata;
}

export interface ClientInformation extends Record<string, unknown> {
  client_id: string;
  client_secret?: string;
  client_id_issued_at: number;
  client_secret_expires_at?: number;
  registration_access_token?: string;
  registration_client_uri: string;
}

/**
 * RFC 7591 §3.2.1 client information response (also RFC 7592 §3 for read and update):
 * client_id, the secret when one was just issued, and every registered metadata value.
 * `client_secret_expires_at` is 0 (never) for confidential clients.
 */
export function clientInformation(
  issuer: string,
  client: RegisteredClient,
  issued: { clientSecret?: string; registrationAccessToken?: string } = {},
): ClientInformation {
  const m = client.metadata;
  const confidential = m.token_endpoint_auth_method !== "none";
  return {
    client_id: client.clientId,
    ...(issued.clientSecret ? { client_secret: issued.clientSecret } : {}),
    client_id_issued_at: Math.floor(client.issuedAt.getTime() / 1000),
    ...(confidential ? { client_secret_expires_at: 0 } : {}),
    ...(issued.registrationAccessToken ? { registration_access_token: issued.registrationAccessToken } : {}),
    registration_client_uri: registrationClientUri(issuer, client.clientId),
    client_name: m.client_name,
    ...(m.description ? { description: m.description } : {}),
    ...(m.client_uri ? { client_uri: m.client_uri } : {}),
    ...(m.logo_uri ? { logo_uri: m.logo_uri } : {}),
    redirect_uris: m.redirect_uris,
    post_logout_redirect_uris: m.post_logout_redirect_uris,
    token_endpoint_auth_method: m.token_endpoint_auth_method,
    grant_types: m.grant_types,
    // RFC 7591 §2.1: consistent with grant_types.
    response_types: [
      ...(m.grant_types.includes("authorization_code") ? ["code"] : []),
      ...(m.grant_types.includes("implicit") ? ["id_token"] : []),
    ],
    scope: m.scope,
    require_pkce: m.require_pkce,
    id_token_signed_response_alg: m.id_token_signed_response_alg,
  };
}

/** The client_id named by a registration_client_uri path, or null when the path names none. */
export function clientIdFromPath(pathname: string): string | null {
  const prefix = `${REGISTRATION_PATH}/`;
  if (!pathname.startsWith(prefix)) return null;
  const rest = pathname.slice(prefix.length);
  if (!rest || rest.includes("/") || rest.length > 200) return null;
  try {
    const id = decodeURIComponent(rest);
    return hasControlChars(id) ? null : id;
  } catch {
    return null;
  }
}

/**
 * An update may switch between client_secret_basic and client_secret_post, but not between a
 * public and a confidential client: that would leave a secret-less confidential client or a
 * public client holding a secret. Such a change is a new registration.
 */
export function checkAuthMethodChange(current: ClientMetadata["token_endpoint_auth_method"], next: ClientMetadata): void {
  if ((current === "none") !== (next.token_endpoint_auth_method === "none")) {
    throw new InvalidClientMetadata(
      "token_endpoint_auth_method: cannot change between a public (none) and a confidential client; register a new client",
    );
  }
}
