// Bearer tokens at a protected resource: reading the token (RFC 6750 §2.1) and refusing a
// request with a challenge (RFC 6750 §3) that points to the resource's metadata (RFC 9728 §5.1).
import type { IncomingMessage, ServerResponse } from "node:http";
import { InvalidToken, type AccessTokenVerifier, type VerifiedAccessToken } from "./access-token";

/** RFC 6750 §2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=". */
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

/**
 * The token of `Authorization: Bearer <token>` (the scheme is case-insensitive, RFC 9110
 * §11.1): a string, null when the request carries no bearer credentials at all, or
 * "malformed" when it tries to and fails. Tokens in the query or the body are not read
 * (bearer_methods_supported is ["header"]).
 */
export function bearerToken(req: IncomingMessage): string | null | "malformed" {
  const header = req.headers.authorization;
  if (header === undefined) return null;
  const match = /^Bearer(?: +(.*))?$/i.exec(header.trim());
  if (!match) return null; // another scheme: no bearer credentials
  const token = match[1] ?? "";
  return B64TOKEN.test(token) ? token : "malformed";
}

export interface Challenge {
  /** RFC 9728 §5.1: where the resource's metadata is. */
  resourceMetadata: string;
  /** RFC 6750 §3.1; absent when the request had no credentials (§3: SHOULD NOT include one). */
  error?: "invalid_request" | "invalid_token" | "insufficient_scope";
  description?: string;
  /** The scope the resource needs (RFC 6750 §3). */
  scope?: string;
}

/** The status of each error code (RFC 6750 §3.1); a request without credentials gets 401. */
const STATUS = { invalid_request: 400, invalid_token: 401, insufficient_scope: 403 } as const;

/** `Bearer resource_metadata="…", error="…", …` (RFC 6750 §3, RFC 9728 §5.1). */
export function challengeHeader(c: Challenge): string {
  const params: [string, string | undefined][] = [
    ["resource_metadata", c.resourceMetadata],
    ["error", c.error],
    ["error_description", c.description],
    ["scope", c.scope],
  ];
  // The values are ours (no quotes or backslashes), so quoting them needs no escaping.
  return `Bearer ${params
    .filter((p): p is [string, string] => p[1] !== undefined)
    .map(([k, v]) => `${k}="${v}"`)
    .join(", ")}`;
}

/** Refuses the request: the status of the error, the challenge, and the error as JSON. */
export function refuse(res: ServerResponse, c: Challenge): void {
  const body = c.error
    ? { error: c.error, ...(c.description ? { error_description: c.description } : {}) }
    : { message: "This needs an access token: Authorization: Bearer <token>" };
  res.writeHead(c.error ? STATUS[c.error] : 401, {
    "www-authenticate": challengeHeader(c),
    "content-type": "application/json",
    "cache-control": "no-store",
  });
  res.end(JSON.stringify(body));
}

export interface BearerCheck {
  verify: AccessTokenVerifier;
  /** An extra check after the token verified locally, e.g. introspection (RFC 7662) for revocation. */
  isActive?: (token: string) => Promise<boolean>;
  /** The resource's metadata URL (RFC 9728), for the challenges. */
  resourceMetadata: string;
  /** The scope the request needs. */
  scope: string;
}

export type BearerResult = { token: string; verified: VerifiedAccessToken } | { refusal: Challenge };

/**
 * The whole check of a request to a protected resource: the token is there and well formed,
 * verifies, is still active (when asked), and carries `scope`; else the challenge to refuse
 * the request with. Errors that are not the token's fault (the key set cannot be fetched) are
 * thrown.
 */
export async function checkBearer(req: IncomingMessage, c: BearerCheck): Promise<BearerResult> {
  const base = { resourceMetadata: c.resourceMetadata, scope: c.scope };
  const token = bearerToken(req);
  // RFC 6750 §3.1: no credentials -> 401 without an error code; malformed -> invalid_request.
  if (token === null) return { refusal: base };
  if (token === "malformed") {
    return { refusal: { ...base, error: "invalid_request", description: "The Authorization header is not Bearer <token>" } };
  }
  let verified: VerifiedAccessToken;
  try {
    verified = await c.verify(token);
    if (c.isActive && !(await c.isActive(token))) throw new InvalidToken("The access token has been revoked");
  } catch (e) {
    if (!(e instanceof InvalidToken)) throw e;
    return { refusal: { ...base, error: "invalid_token", description: e.message } };
  }
  // RFC 6750 §3.1: a valid token without the scope the request needs -> 403 insufficient_scope.
  if (!verified.scopes.includes(c.scope)) {
    return { refusal: { ...base, error: "insufficient_scope", description: `This needs the scope ${c.scope}` } };
  }
  return { token, verified };
}
