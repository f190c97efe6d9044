// The protocol core's view of the world: the records it reads and the stores it calls.
// lib/db/protocol implements the stores (SQL and Prisma); test/fake-stores.ts, in memory, for unit tests.
import type { AuthMethod, ClientMetadata, GrantType } from "./client-metadata";
import type { ResponseMode, ResponseType } from "./authorization-response";

export type SigningAlg = "ES256" | "RS256";

export interface OAuthClient {
  /** Internal row id (foreign keys point here). */
  id: string;
  /** The public client_id. */
  clientId: string;
  name: string;
  /** The owner's name (or email); null when the client has no owner (CLI, open registration). */
  ownerName: string | null;
  logoUrl: string | null;
  /** RFC 7591 §2 client_uri: the app's home page. */
  homepageUrl: string | null;
  /** Marked verified by an admin (or created by one, or by the CLI): the consent screen says so. */
  verified: boolean;
  tokenEndpointAuthMethod: AuthMethod;
  secretHash: string | null;
  previousSecretHash: string | null;
  previousSecretExpiresAt: Date | null;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  scopes: string[];
  grantTypes: GrantType[];
  requirePkce: boolean;
  signingAlg: SigningAlg;
  /** ID tokens carry the granted profile/email claims (./user-claims.ts); off: userinfo only. */
  idTokenUserClaims: boolean;
  suspended: boolean;
  /** The identifier of the client's default API: its resource when a request names none (RFC 8707). */
  defaultResource: string | null;
  /** For an API's own credentials client: the identifier of the API it speaks for (introspection). */
  resourceServer: string | null;
}

export const isPublicClient = (c: OAuthClient) => c.tokenEndpointAuthMethod === "none";

/** A scope of an API, with the plain words the consent screen shows. */
export interface ApiScopeRecord {
  name: string;
  description: string;
}

/** An API (protected resource): the audience of its tokens and its RFC 8707 resource value. */
export interface ApiRecord {
  id: string;
  /** Absolute URI without fragment; the access token's `aud`. */
  identifier: string;
  name: string;
  scopes: ApiScopeRecord[];
  /** Seconds; null = the server's access-token lifetime. */
  accessTokenTtl: number | null;
  /** Every client may ask for it; else only allowedClientIds (internal client ids). */
  allClients: boolean;
  allowedClientIds: string[];
}

export interface OAuthUser {
  id: string;
  email: string;
  name: string | null;
  emailVerified: boolean;
  disabled: boolean;
  updatedAt: Date;
}

/** What the profile and email scopes can disclose about a user (OIDC Core §5.4). */
export type UserProfile = Pick<OAuthUser, "id" | "email" | "name" | "emailVerified" | "updatedAt">;

/** A validated authorization request (RFC 6749 §4.1.1, RFC 7636 §4.3, OIDC Core §3.1.2.1). */
export interface AuthorizationParams {
  clientId: string;
  redirectUri: string;
  redirectUriGiven: boolean;
  /** code, or id_token (OIDC Core §3.2: an ID token in the front channel, no access token). */
  responseType: ResponseType;
  /** How the response travels (./authorization-response.ts). */
  responseMode: ResponseMode;
  scope: string[];
  /** RFC 8707 resource identifiers (API identifiers) of the grant; [] = none (aud = the issuer). */
  resources: string[];
  state: string | null;
  nonce: string | null;
  codeChallenge: string | null;
  codeChallengeMethod: "S256" | null;
  prompt: ("none" | "login" | "consent")[];
  maxAge: number | null;
  loginHint: string | null;
  /**
   * OIDC Core §3.1.2.1 acr_values: the ones this server knows (lib/oauth/amr.ts ACR_VALUES), in
   * the order of preference sent; unknown values are dropped (voluntary claims, §5.5.1.1).
   * Absent in requests parked before acr_values existed: read as [].
   */
  acrValues: string[];
}

export interface PortalSessionInfo {
  /** The row id: the cookie names it, so it never leaves the server. */
  id: string;
  /** The public session id for ID tokens and logout (OIDC `sid`): random, not the row id. */
  sid: string;
  userId: string;
  authTime: Date;
  /** How the user authenticated in this session (RFC 8176 values; lib/oauth/amr.ts). */
  amr: string[];
}

export interface CodeRecord {
  id: string;
  grantId: string;
  clientId: string; // internal client id
  userId: string;
  /** The session's public `sid` (PortalSessionInfo.sid), never its row id. */
  sessionId: string | null;
  redirectUri: string;
  redirectUriGiven: boolean;
  scope: string[];
  /** RFC 8707 resource identifiers (API identifiers) of the grant; [] = none (aud = the issuer). */
  resources: string[];
  nonce: string | null;
  codeChallenge: string | null;
  codeChallengeMethod: string | null;
  authTime: Date;
  /** The session's amr when the code was issued ([] for a code from before amr was recorded). */
  amr: string[];
  expiresAt: Date;
  consumedAt: Date | null;
  /** The grant's user exists and is not disabled: read with the record, in the same query. */
  userActive: boolean;
  /** The grant's user, for the ID token's claims: read with the record, in the same query. */
  user: UserProfile;
}

export interface NewCode extends Omit<CodeRecord, "consumedAt" | "userActive" | "user" | "resources"> {
  codeHash: string;
  /** Absent: none. */
  resources?: string[];
}

export interface RefreshRecord {
  id: string;
  grantId: string;
  clientId: string; // internal
  userId: string;
  sessionId: string | null;
  scope: string[];
  /** RFC 8707 resource identifiers (API identifiers) of the grant; [] = none (aud = the issuer). */
  resources: string[];
  authTime: Date;
  /** The amr of the code the grant began with, kept through rotation (OIDC Core §12.2). */
  amr: string[];
  createdAt: Date;
  expiresAt: Date;
  absoluteExpiresAt: Date;
  rotatedAt: Date | null;
  revokedAt: Date | null;
  /** The grant's user exists and is not disabled: read with the record, in the same query. */
  userActive: boolean;
  /** The grant's user, for the refreshed ID token's claims: read with the record, in the same query. */
  user: UserProfile;
}

export interface NewRefreshToken extends Omit<RefreshRecord, "id" | "rotatedAt" | "revokedAt" | "createdAt" | "userActive" | "user" | "resources"> {
  tokenHash: string;
  /** Absent: none. */
  resources?: string[];
}

export interface AccessRecord {
  jti: string;
  grantId: string | null;
  clientId: string; // internal
  userId: string | null;
  scope: string[];
  expiresAt: Date;
  revokedAt: Date | null;
}

export type NewAccessToken = Omit<AccessRecord, "revokedAt">;

export interface PendingRequest {
  id: string;
  clientId: string; // internal
  params: AuthorizationParams;
  sessionId: string | null;
  createdAt: Date;
  expiresAt: Date;
  consumedAt: Date | null;
  /**
   * response_mode=form_post: the consent screen's answer, recorded as the request is consumed and
   * delivered once by the continuation (lib/oauth/authorize.ts); null otherwise.
   */
  decision: ConsentDecision | null;
}

export type ConsentDecision = "allow" | "deny";

export interface OAuthStores {
  clients: {
    findByClientId(clientId: string): Promise<OAuthClient | null>;
    /** Notes the last error a request of this client (by public client_id) ran into; see client-errors.ts. */
    recordError?(clientId: string, message: string, at: Date): Promise<void>;
  };
  /** APIs (protected resources), cached like clients: the token endpoint reads them. */
  apis: {
    findByIdentifier(identifier: string): Promise<ApiRecord | null>;
    findById(id: string): Promise<ApiRecord | null>;
    /** The APIs (a few at most) that have a scope of this name; for error messages only, not cached. */
    findWithScope(scope: string): Promise<ApiRecord[]>;
  };
  users: { findById(id: string): Promise<OAuthUser | null> };
  sessions: {
    /** The signed-in session the portal cookie names; null when unknown, revoked or expired, or
     * when its user is disabled or must first reset the password (no codes until then). */
    findSignedIn(id: string): Promise<PortalSessionInfo | null>;
  };
  consents: {
    /** Granted scopes of an active consent, or null. */
    find(userId: string, clientId: string): Promise<string[] | null>;
    /** Adds scopes to the consent (creating or re-activating it). */
    grant(userId: string, clientId: string, scopes: string[]): Promise<void>;
  };
  requests: {
    create(r: Omit<PendingRequest, "consumedAt" | "decision">): Promise<void>;
    find(id: string): Promise<PendingRequest | null>;
    /** Binds the request to the session that first continues it; false if bound to another. */
    bindSession(id: string, sessionId: string): Promise<boolean>;
    /** Marks the request decided (recording `decision` to deliver later, if given); true for exactly one caller. */
    consume(id: string, now: Date, decision?: ConsentDecision): Promise<boolean>;
    /** Takes the recorded decision of a consumed request: its value for exactly one caller, then null. */
    takeDecision(id: string): Promise<ConsentDecision | null>;
  };
  codes: {
    create(c: NewCode): Promise<void>;
    findByHash(codeHash: string): Promise<CodeRecord | null>;
  };
  tokens: {
    /**
     * Atomically: mark the code consumed (only if not yet) and record the tokens issued from
     * it. False when another redemption won (RFC 6749 §4.1.2: a code is used once).
     */
    redeemCode(codeId: string, now: Date, access: NewAccessToken, refresh: NewRefreshToken | null): Promise<boolean>;
    /**
     * Atomically: mark the refresh token rotated (only if still current) and record its successors.
     * `replay`: the sealed token response, kept on the successor for a retry with the rotated token
     * (./grants/refresh-replay.ts); null: none (grace off).
     */
    rotateRefresh(id: string, now: Date, access: NewAccessToken, refresh: NewRefreshToken, replay: string | null): Promise<boolean>;
    /**
     * One atomic statement, count first: counts a replay on the successor of the rotated token `id`
     * and returns its sealed response, only while `id` was rotated after `rotatedAfter` and is not
     * revoked, and its successor is neither rotated nor revoked and was replayed fewer than `max`
     * times; else null and nothing changes. `max` null: neither counted nor bounded (a request
     * that was in flight when the rotation committed, not a retry).
     */
    claimReplay(id: string, rotatedAfter: Date, max: number | null): Promise<string | null>;
    /**
     * RFC 9700 §4.14.2: revokes the grant's tokens (as revokeGrant) and records
     * `refresh.reuse_detected`, in one transaction.
     */
    revokeOnReuse(grantId: string, now: Date, who: { userId: string; clientId: string }): Promise<void>;
    /** false (nothing recorded) when the client no longer exists: deleted since it was read. */
    recordAccess(access: NewAccessToken): Promise<boolean>;
    findRefreshByHash(tokenHash: string): Promise<RefreshRecord | null>;
    findAccess(jti: string): Promise<AccessRecord | null>;
    /** Revokes every refresh and access token of a grant (code replay, refresh reuse, revocation). */
    revokeGrant(grantId: string, now: Date): Promise<void>;
    revokeAccess(jti: string, now: Date): Promise<void>;
  };
  audit: { record(e: { type: string; actorId?: string | null; subjectId?: string | null; clientId?: string | null; data?: Record<string, string | number | boolean | null> }): Promise<void> };
}

/** Signing and verification with the server's keys (lib/keys/keyring.ts). */
export interface KeyRing {
  sign(alg: SigningAlg, payload: Record<string, unknown>, typ: string): Promise<string>;
  /** Verifies a JWT signed by one of our published keys; throws on any failure. */
  verify(jwt: string, opts: { typ?: string; audience?: string; allowExpired?: boolean }): Promise<Record<string, unknown>>;
  jwks(): Promise<{ keys: Record<string, unknown>[] }>;
}

export interface Lifetimes {
  authorizationCode: number;
  accessToken: number;
  idToken: number;
  refreshIdle: number;
  refreshAbsolute: number;
}

/**
 * The client rows of Client ID Metadata Documents (lib/oauth/client-documents): consents, codes
 * and tokens point at a Client row, so each document gets one (registeredVia "metadata_document").
 */
export interface DocumentClientStore {
  /**
   * Creates or updates the row for `clientId` from the document's validated metadata, writing only
   * when something changed; suspension and ownership are left alone, and a change of what users
   * see ends an admin's verification. null when `clientId` belongs to a client registered another way.
   */
  save(clientId: string, metadata: ClientMetadata, now: Date): Promise<OAuthClient | null>;
}

/** Resolves a client_id that is a Client Identifier URL (lib/oauth/client-documents/resolver.ts). */
export interface ClientDocumentResolver {
  /**
   * The client the document at `clientId` describes, fetched unless cached. `admitFetch` counts a
   * fetch against the caller's address (null: go ahead; else seconds to wait). Throws
   * InvalidAuthorizationTarget (an error page) or ClientDocumentFetchLimit.
   */
  resolve(clientId: string, admitFetch: () => number | null): Promise<OAuthClient>;
}

/** A retry with a just-rotated refresh token (./grants/refresh-replay.ts). */
export interface RefreshReuseGrace {
  /** Seconds after a rotation in which a retry is answered; 0 = off (every reuse revokes). */
  seconds: number;
  /** Retries answered per rotation. */
  max: number;
}

export interface OAuthDeps {
  issuer: string;
  lifetimes: Lifetimes;
  refreshReuseGrace: RefreshReuseGrace;
  stores: OAuthStores;
  keys: KeyRing;
  now(): Date;
  /** Client ID Metadata Documents, when enabled (CLIENT_ID_METADATA_DOCUMENTS). */
  clientDocuments?: ClientDocumentResolver;
}
