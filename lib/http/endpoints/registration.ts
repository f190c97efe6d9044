// POST /oauth/register (RFC 7591 §3) and GET/PUT/DELETE on the registration_client_uri
// /oauth/register/<client_id> (RFC 7592 §2). JSON in, JSON out, no-store.
//
// Decisions:
// - A body that is not application/json is 400 invalid_client_metadata, not 415: RFC 7591
//   §3.2.2 answers every registration error with 400 and an error code, and a DCR client that
//   handles those handles this one too (the description names the Content-Type).
// - PUT rotates the registration access token (RFC 7592 §2.2 lets the server issue a new one in
//   the response; the client MUST then use it): a leaked token is good for at most one change.
//   GET does not rotate: a client that loses a read response is not locked out.
// - A token that is wrong for the client_id in the path (or a client_id that does not exist) is
//   401 invalid_token (RFC 7592 §2: do not reveal whether the client exists). §2.1's SHOULD
//   "revoke the token" is not followed: a client has no way to obtain a new registration access
//   token, so a typo in the URI would lock it out of its own configuration for good.
// - A registration access token expires REGISTRATION_ACCESS_TOKEN_TTL_SECONDS after it was
//   issued (unset/0: never); each PUT issues a new one with a new lifetime. An expired one is
//   401 invalid_token (RFC 6750 §3.1: "expired").
// - A suspended client (admin console) may not read, change or delete its registration: 403
//   (RFC 7592 §2.1, §2.2, §2.3: a client without permission "MUST" get 403 Forbidden), with
//   error access_denied. Only after its token checked out, so the answer reveals nothing to
//   anyone without it. An admin resumes or deletes the client.
import { getConfig } from "../../config";
import {
  InitialAccessTokenRejected,
  registeredClient,
  type ClientRow,
  type RegistrationStore,
} from "../../db/registration";
import { safeEqual, sha256 } from "../../crypto/tokens";
import {
  bearerCredential,
  checkAuthMethodChange,
  clientIdFromPath,
  clientInformation,
  InvalidClientMetadata,
  invalidInitialAccessToken,
  invalidRegistrationAccessToken,
  parseClientMetadata,
  parseOpenRegistration,
  parseUpdateRequest,
} from "../../oauth/registration";
import { apiScopeCandidates, knownApiScopes } from "../../oauth/client-metadata";
import { AccessDenied, InvalidToken } from "../../oauth/errors";
import { CORS, preflight, withPublicCors } from "../cors";
import type { Endpoint, PlainRequest, PlainResponse } from "../endpoint";
import { pathOf, type FormSource } from "../form";
import { json, NO_STORE, oauthError } from "../oauth-response";
import { requestIp } from "../anonymous-writes";
import { anonymousWrites, data, oauthDeps, rateLimits } from "../../runtime";
import { callerAddress, type RateLimits } from "../rate-limits";

export interface RegistrationDeps {
  issuer: string;
  /** OPEN_REGISTRATION: registration without an initial access token. */
  openRegistration: boolean;
  store: RegistrationStore;
  now: () => Date;
  /** ANONYMOUS_WRITES_PER_MINUTE for open registration (no initial access token). */
  admitAnonymous?: (req: Pick<PlainRequest, "headers">) => number | null;
  /** The volume limits per address (and per client on the RFC 7592 paths): rate-limits.ts. */
  rateLimits?: RateLimits;
  /** REGISTRATION_ACCESS_TOKEN_TTL_SECONDS: lifetime of a registration access token; null = no expiry. */
  registrationAccessTokenTtlSeconds?: number | null;
  /** Which of these names are scopes of a registered API (a client may register them, e.g. mcp:tools). */
  apiScopes?: (names: string[]) => Promise<ReadonlySet<string>>;
}

/** The API scope names among a body's `scope` (client-metadata.ts apiScopeCandidates), looked up. */
async function apiScopesOf(d: RegistrationDeps, body: unknown): Promise<ReadonlySet<string>> {
  const names = apiScopeCandidates((body as { scope?: unknown } | null)?.scope);
  return names.length && d.apiScopes ? d.apiScopes(names) : new Set();
}

/** When a registration access token issued at `now` expires (null: never). */
function ratExpiry(d: RegistrationDeps, now: Date): Date | null {
  const ttl = d.registrationAccessTokenTtlSeconds;
  return ttl ? new Date(now.getTime() + ttl * 1000) : null;
}

const expiredRegistrationAccessToken = () => new InvalidToken("The registration access token has expired");
const suspendedClient = () =>
  new AccessDenied("This client is suspended by the server's administrator: its registration cannot be read, changed or deleted");

const MAX_BODY = 64 * 1024;

/** The JSON body of a registration or update request (RFC 7591 §3.1: application/json). */
async function readJson(req: FormSource): Promise<unknown> {
  const type = (req.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/json") throw new InvalidClientMetadata("The request body must be application/json");
  let text: string;
  try {
    text = await req.text();
  } catch {
    throw new InvalidClientMetadata("The request body could not be read");
  }
  if (text.length > MAX_BODY) throw new InvalidClientMetadata("The request body is too large");
  try {
    return JSON.parse(text);
  } catch {
    throw new InvalidClientMetadata("The request body is not valid JSON");
  }
}

/** 401 with RFC 6750 §3.1 error="invalid_token" (oauthError adds WWW-Authenticate). */
const bearerError = (err: unknown) => oauthError(err, { bearer: true });

export function makeRegistration(deps: () => RegistrationDeps): Record<"register" | "read" | "update" | "remove", Endpoint> {
  /** POST /oauth/register */
  async function register(req: PlainRequest): Promise<PlainResponse> {
    try {
      const d = deps();
      d.rateLimits?.admitAddress("registration", callerAddress(req));
      // RFC 7591 §3: the server MAY require an initial access token; Latchkey does unless
      // OPEN_REGISTRATION is set. A token that is sent must be valid even then.
      const token = bearerCredential(req.headers.get("authorization"));
      if (token === null && !d.openRegistration) return bearerError(invalidInitialAccessToken());
      if (token !== null && !(token && (await d.store.isActiveInitialAccessToken(token, d.now())))) {
        return bearerError(invalidInitialAccessToken());
      }
      // Open registration writes a client row for an anonymous caller: capped per address.
      const wait = token === null ? (d.admitAnonymous?.(req) ?? null) : null;
      if (wait !== null) {
        return json(
          { error: "temporarily_unavailable", error_description: `Too many registrations from this address; retry after ${wait} seconds` },
          429,
          { "Retry-After": String(wait) },
        );
      }
      const body = await readJson(req);
      // Without a token: public clients only (the open-registration policy, registration.ts).
      const apiScopes = await apiScopesOf(d, body);
      const meta = token === null ? parseOpenRegistration(body, d.issuer, apiScopes) : parseClientMetadata(body, d.issuer, apiScopes);
      const now = d.now();
      const r = await d.store.register(meta, token, now, ratExpiry(d, now));
      // RFC 7591 §3.2.1: 201 Created with the client information.
      return json(
        clientInformation(d.issuer, r.client, { clientSecret: r.clientSecret, registrationAccessToken: r.registrationAccessToken }),
        201,
      );
    } catch (err) {
      if (err instanceof InitialAccessTokenRejected) return bearerError(invalidInitialAccessToken());
      return oauthError(err);
    }
  }

  /**
   * The client the request's registration access token is for; null when the token is missing
   * or wrong for it (401). Throws 401 for an expired token and 403 for a suspended client.
   */
  async function authorizedClient(req: PlainRequest, d: RegistrationDeps): Promise<ClientRow | null> {
    const clientId = clientIdFromPath(pathOf(req.url));
    if (d.rateLimits) {
      d.rateLimits.admitAddress("registration", callerAddress(req));
      if (clientId) d.rateLimits.admitClient("registration", clientId);
    }
    const token = bearerCredential(req.headers.get("authorization"));
    if (!clientId || !token) return null;
    const row = await d.store.findByRegistrationToken(clientId, token);
    if (!row) return null;
    const expiresAt = row.registrationAccessTokenExpiresAt;
    if (expiresAt && expiresAt.getTime() <= d.now().getTime()) throw expiredRegistrationAccessToken();
    if (row.suspended) throw suspendedClient();
    return row;
  }

  /** 401s carry the Bearer challenge (RFC 6750 §3.1); the 403 for a suspended client is not about the token. */
  const managementError = (err: unknown) => (err instanceof InvalidToken ? bearerError(err) : oauthError(err));

  /** GET /oauth/register/<client_id> (RFC 7592 §2.1): the current configuration. */
  async function read(req: PlainRequest): Promise<PlainResponse> {
    try {
      const d = deps();
      const row = await authorizedClient(req, d);
      if (!row) return bearerError(invalidRegistrationAccessToken());
      // The secret is stored hashed only: it is never sent again.
      return json(clientInformation(d.issuer, registeredClient(row)));
    } catch (err) {
      return managementError(err);
    }
  }

  /** PUT /oauth/register/<client_id> (RFC 7592 §2.2): full replacement of the metadata. */
  async function update(req: PlainRequest): Promise<PlainResponse> {
    try {
      const d = deps();
      const row = await authorizedClient(req, d);
      if (!row) return bearerError(invalidRegistrationAccessToken());
      const body = await readJson(req);
      const { metadata, clientSecret } = parseUpdateRequest(body, row.clientId, d.issuer, await apiScopesOf(d, body));
      // §2.2: a client_secret in the request MUST match the current one; it cannot be chosen.
      if (clientSecret !== null && !(row.secretHash && safeEqual(sha256(clientSecret), row.secretHash))) {
        throw new InvalidClientMetadata("client_secret: does not match the current client secret");
      }
      checkAuthMethodChange(row.tokenEndpointAuthMethod as typeof metadata.token_endpoint_auth_method, metadata);
      const now = d.now();
      const r = await d.store.update(row, metadata, now, ratExpiry(d, now));
      // Another request rotated or deleted first: this token is no longer valid.
      if (!r) return bearerError(invalidRegistrationAccessToken());
      return json(clientInformation(d.issuer, r.client, { registrationAccessToken: r.registrationAccessToken }));
    } catch (err) {
      return managementError(err);
    }
  }

  /** DELETE /oauth/register/<client_id> (RFC 7592 §2.3): 204, and the client is gone. */
  async function remove(req: PlainRequest): Promise<PlainResponse> {
    try {
      const d = deps();
      const row = await authorizedClient(req, d);
      if (!row || !(await d.store.delete(row, d.now()))) return bearerError(invalidRegistrationAccessToken());
      return { status: 204, headers: { ...NO_STORE }, body: "" };
    } catch (err) {
      return managementError(err);
    }
  }

  // Browser MCP clients register and manage themselves from any origin; a bearer token, never a
  // cookie, authorizes each call (cors.ts).
  return {
    register: withPublicCors(CORS.registration, register),
    read: withPublicCors(CORS.registrationClient, read),
    update: withPublicCors(CORS.registrationClient, update),
    remove: withPublicCors(CORS.registrationClient, remove),
  };
}

let cached: RegistrationDeps | undefined;
function registrationDeps(): RegistrationDeps {
  if (cached) return cached;
  const cfg = getConfig();
  cached = {
    issuer: cfg.issuer,
    openRegistration: cfg.openRegistration,
    store: data().registration,
    now: () => new Date(),
    admitAnonymous: (req) => anonymousWrites().take(requestIp(req.headers)),
    rateLimits: rateLimits(),
    registrationAccessTokenTtlSeconds: cfg.registrationAccessTokenTtlSeconds,
    apiScopes: knownApiScopes(oauthDeps().stores.apis),
  };
  return cached;
}

const endpoints = makeRegistration(registrationDeps);
export const registrationPOST = endpoints.register;
export const registrationClientGET = endpoints.read;
export const registrationClientPUT = endpoints.update;
export const registrationClientDELETE = endpoints.remove;
export const registrationOPTIONS = preflight(CORS.registration);
export const registrationClientOPTIONS = preflight(CORS.registrationClient);
