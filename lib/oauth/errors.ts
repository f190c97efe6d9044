// OAuth errors, one class per wire code (RFC 6749 §4.1.2.1, §5.2; RFC 6750 §3.1; OIDC Core
// §3.1.2.6). `description` is safe to show to the client: it never carries a secret or an
// internal detail. lib/http turns any of these into a response; anything else is server_error.
/**
 * RFC 6749 §5.2 / RFC 6750 §3: error_description is limited to %x20-21 / %x23-5B / %x5D-7E
 * (it also travels in a WWW-Authenticate header). Anything else, e.g. an echoed parameter
 * name, becomes "?".
 */
export function safeDescription(text: string): string {
  return text.replace(/[^\x20\x21\x23-\x5b\x5d-\x7e]/g, "?").slice(0, 300);
}

export class OAuthError extends Error {
  readonly description: string;
  constructor(
    readonly error: string,
    description: string,
    readonly status = 400,
  ) {
    const safe = safeDescription(description);
    super(`${error}: ${safe}`);
    this.description = safe;
  }
}

const make = (error: string, status = 400) =>
  class extends OAuthError {
    constructor(description: string) {
      super(error, description, status);
    }
  };

export const InvalidRequest = make("invalid_request");
/** RFC 6749 §5.2: 401 when the client authenticated with the Authorization header. */
export class InvalidClient extends OAuthError {
  constructor(
    description: string,
    readonly usedBasicAuth = false,
  ) {
    super("invalid_client", description, 401);
  }
}
/**
 * 429 Too Many Requests (RFC 6585 §4) with Retry-After (RFC 9110 §10.2.3): a rate limit
 * (lib/ratelimit). The wire code is `temporarily_unavailable` (RFC 6749 §4.1.2.1; registered in
 * the IANA OAuth Extensions Error registry): "the server is currently unable to handle the
 * request ... due to a temporary overloading", which every OAuth client library already treats as
 * "try again later". `slow_down` (RFC 8628 §3.5) is not used: it is the device flow's polling
 * signal ("add 5 seconds to the interval"), and a client outside that flow has no rule for it.
 */
export class TooManyRequests extends OAuthError {
  constructor(
    description: string,
    readonly retryAfterSeconds: number,
  ) {
    super("temporarily_unavailable", description, 429);
  }
}
export const InvalidGrant = make("invalid_grant");
export const UnauthorizedClient = make("unauthorized_client");
export const UnsupportedGrantType = make("unsupported_grant_type");
export const InvalidScope = make("invalid_scope");
/** RFC 8707 §2: a resource that is invalid, unknown, not allowed, or not granted. */
export const InvalidTarget = make("invalid_target");
export const UnsupportedResponseType = make("unsupported_response_type");
export const AccessDenied = make("access_denied", 403);
export const LoginRequired = make("login_required");
export const ConsentRequired = make("consent_required");
export const InteractionRequired = make("interaction_required");
/** RFC 6750 §3.1 */
export const InvalidToken = make("invalid_token", 401);
export const InsufficientScope = make("insufficient_scope", 403);

/**
 * RFC 6749 §4.1.2.1 (temporarily_unavailable): the server cannot handle the request now, e.g.
 * its database is unreachable or too slow. Answered 503 with Retry-After (RFC 9110 §15.6.4,
 * §10.2.3) at the token and other JSON endpoints, and redirected to the client by authorize.
 */
export class TemporarilyUnavailable extends OAuthError {
  /** Seconds after which the client may try again (Retry-After). */
  static readonly RETRY_AFTER_SECONDS = 5;
  readonly retryAfterSeconds = TemporarilyUnavailable.RETRY_AFTER_SECONDS;
  constructor(description = "The service is temporarily unavailable; try again in a few seconds.") {
    super("temporarily_unavailable", description, 503);
  }
}

/**
 * The request cannot be answered by redirecting to the client: unknown client, or a
 * redirect_uri that is missing or not registered (RFC 6749 §4.1.2.1: MUST NOT redirect).
 * Shown to the user on an error page.
 */
export class InvalidAuthorizationTarget extends Error {
  constructor(
    readonly title: string,
    readonly description: string,
    /** For the developer (the dashboard's "last error seen"), when it says more than `description`. */
    readonly developerDetail?: string,
    /**
     * The exact technical reason shown on the public error page under "Details for developers"
     * (anyone can read it: it names nothing the request did not, e.g. no registered URI);
     * defaults to `developerDetail`.
     */
    readonly pageDetail: string | undefined = developerDetail,
  ) {
    super(description);
  }
}
