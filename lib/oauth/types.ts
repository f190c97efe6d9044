// The protocol core's view of the world: the records it reads and the stores it calls.
// lib/db/protocol implements the stores (SQL and Prisma); test/fake-stores.ts, in memory, for unit tests.
import type { AuthMethod, GrantType } from "./client-metadata";

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

/** A validated authorization request (RFC 6749 §4.1.1, RFC 7636 §4.3, OIDC Core §3.1.2.1). */
export interface AuthorizationParams {
  clientId: string;
  redirectUri: string;
  redirectUriGiven: boolean;
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
}

export interface PortalSessionInfo {
  /** The row id: the cookie names it, so it never leaves the server. */
  id: string;
  /** The public session id for ID tokens and logout (OIDC `sid`): random, not the row id. */
  sid: string;
  userId: string;
  authTime: Date;
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
  expiresAt: Date;
  consumedAt: Date | null;
  /** The grant's user exists and is not disabled: read with the record, in the same query. */
  userActive: boolean;
}

export interface NewCode extends Omit<CodeRecord, "consumedAt" | "userActive" | "resources"> {
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
  createdAt: Date;
  expiresAt: Date;
  absoluteExpiresAt: Date;
  rotatedAt: Date | null;
  revokedAt: Date | null;
  /** The grant's user exists and is not disabled: read with the record, in the same query. */
  userActive: boolean;
}

export interface NewRefreshToken extends Omit<RefreshRecord, "id" | "rotatedAt" | "revokedAt" | "createdAt" | "userActive" | "resources"> {
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
}

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
    create(r: Omit<PendingRequest, "consumedAt">): Promise<void>;
    find(id: string): Promise<PendingRequest | null>;
    /** Binds the request to the session that first continues it; false if bound to another. */
    bindSession(id: string, sessionId: string): Promise<boolean>;
    /** Marks the request decided; true for exactly one caller. */
    consume(id: string, now: Date): Promise<boolean>;
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
    /** Atomically: mark the refresh token rotated (only if still current) and record its successors. */
    rotateRefresh(id: string, now: Date, access: NewAccessToken, refresh: NewRefreshToken): Promise<boolean>;
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

export interface OAuthDeps {
  issuer: string;
  lifetimes: Lifetimes;
  stores: OAuthStores;
  keys: KeyRing;
  now(): Date;
}
