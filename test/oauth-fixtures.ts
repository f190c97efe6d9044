// Fixtures for unit tests of the protocol core: record builders, a settable clock, a real
// KeyRing over jose-generated ES256 and RS256 keys, and testDeps() that puts them together with
// the one in-memory store (test/fake-stores.ts).
import { randomUUID } from "node:crypto";
import { expect } from "vitest";
import {
  calculateJwkThumbprint,
  compactVerify,
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
  jwtVerify,
  SignJWT,
  type CryptoKey,
  type JWK,
} from "jose";
import { sha256 } from "../lib/crypto/tokens";
import { responseLocation, type AuthorizationResponse } from "../lib/oauth/authorization-response";
import { InvalidAuthorizationTarget, OAuthError } from "../lib/oauth/errors";
import type { ApiRecord, KeyRing, Lifetimes, OAuthClient, RefreshReuseGrace, OAuthDeps, OAuthUser, SigningAlg } from "../lib/oauth/types";
import { FakeStores } from "./fake-stores";
import type { ScopeGroup } from "../lib/oauth/scope-groups";

/** The stored scopes of grouped scopes (lib/oauth/scope-groups.ts), in order. */
export const keysOf = (groups: ScopeGroup[]) => groups.flatMap((g) => g.lines.map((l) => l.key));

export const ISSUER = "https://id.example.test";
export const REDIRECT_URI = "https://app.example.test/callback";

/** Distinct values, so a test notices when one lifetime is used in place of another. */
export const LIFETIMES: Lifetimes = {
  authorizationCode: 60,
  accessToken: 900,
  idToken: 1800,
  refreshIdle: 3600,
  refreshAbsolute: 30 * 24 * 3600,
};

// ---------------------------------------------------------------------------------------------
// Clock

export interface FakeClock {
  now(): Date;
  set(d: Date | string): void;
  advance(seconds: number): void;
}

/** Starts at a time with milliseconds, so that second-truncation bugs show. */
export function fakeClock(start: Date | string = "2030-01-15T10:00:00.750Z"): FakeClock {
  let t = new Date(start).getTime();
  return {
    now: () => new Date(t),
    set: (d) => {
      t = new Date(d).getTime();
    },
    advance: (seconds) => {
      t += seconds * 1000;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Records

/** A client; `secret` (if given) is stored as its SHA-256, as lib/db does. */
export function makeClient(overrides: Partial<OAuthClient> & { secret?: string } = {}): OAuthClient {
  const { secret, ...rest } = overrides;
  return {
    id: `row-${randomUUID()}`,
    clientId: `client-${randomUUID()}`,
    name: "Test App",
    ownerName: null,
    logoUrl: null,
    homepageUrl: null,
    verified: false,
    tokenEndpointAuthMethod: "client_secret_basic",
    secretHash: secret === undefined ? null : sha256(secret),
    previousSecretHash: null,
    previousSecretExpiresAt: null,
    redirectUris: [REDIRECT_URI],
    postLogoutRedirectUris: [],
    scopes: ["openid", "profile", "email", "offline_access"],
    grantTypes: ["authorization_code", "refresh_token"],
    requirePkce: true,
    signingAlg: "ES256",
    idTokenUserClaims: true,
    suspended: false,
    defaultResource: null,
    resourceServer: null,
    ...rest,
  };
}

/** An API (RFC 8707 resource) open to every client, with two scopes and no lifetime of its own. */
export function makeApi(overrides: Partial<ApiRecord> = {}): ApiRecord {
  return {
    id: `api-${randomUUID()}`,
    identifier: "https://api.example.com",
    name: "Items API",
    scopes: [
      { name: "read:items", description: "Read your items" },
      { name: "write:items", description: "Change your items" },
    ],
    accessTokenTtl: null,
    allClients: true,
    allowedClientIds: [],
    ...overrides,
  };
}

export function makeUser(overrides: Partial<OAuthUser> = {}): OAuthUser {
  return {
    id: `user-${randomUUID()}`,
    email: "user@example.test",
    name: "Test User",
    emailVerified: true,
    disabled: false,
    updatedAt: new Date("2030-01-01T00:00:00Z"),
    ...overrides,
  };
}

/** A confidential web client with one redirect URI and fixed ids (the checks' tests). */
export function testClient(overrides: Partial<OAuthClient> = {}): OAuthClient {
  return {
    id: "client-row-1",
    clientId: "web-app",
    name: "Web App",
    ownerName: "Dana Developer",
    logoUrl: null,
    homepageUrl: null,
    verified: false,
    tokenEndpointAuthMethod: "client_secret_basic",
    secretHash: "hash",
    previousSecretHash: null,
    previousSecretExpiresAt: null,
    redirectUris: ["https://app.example.com/callback"],
    postLogoutRedirectUris: [],
    scopes: ["openid", "profile", "email", "offline_access"],
    grantTypes: ["authorization_code", "refresh_token"],
    requirePkce: false,
    signingAlg: "ES256",
    idTokenUserClaims: true,
    suspended: false,
    defaultResource: null,
    resourceServer: null,
    ...overrides,
  };
}

/** A public (native) client: no secret, PKCE required. */
export function testPublicClient(overrides: Partial<OAuthClient> = {}): OAuthClient {
  return testClient({
    id: "client-row-2",
    clientId: "native-app",
    name: "Native App",
    tokenEndpointAuthMethod: "none",
    secretHash: null,
    redirectUris: ["http://127.0.0.1/callback"],
    requirePkce: true,
    ...overrides,
  });
}

/** A valid S256 challenge (RFC 7636 Appendix B). */
export const CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

// ---------------------------------------------------------------------------------------------
// Keys

interface TestKey {
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  publicJwk: JWK;
}

export type TestKeyRing = KeyRing & { kids: Record<SigningAlg, string> };

let generated: Promise<Record<SigningAlg, TestKey>> | null = null;

async function generate(alg: SigningAlg): Promise<TestKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const jwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(jwk);
  return { kid, privateKey, publicKey, publicJwk: { ...jwk, kid, alg, use: "sig" } };
}

/** One ES256 and one RS256 key per test process (RSA generation is slow). */
function testKeys(): Promise<Record<SigningAlg, TestKey>> {
  generated ??= Promise.all([generate("ES256"), generate("RS256")]).then(([es, rs]) => ({ ES256: es, RS256: rs }));
  return generated;
}

/** A KeyRing like lib/keys/keyring.ts, over in-memory keys; verification uses `now`. */
export async function testKeyRing(issuer: string, now: () => Date): Promise<TestKeyRing> {
  const keys = await testKeys();
  const byKid = new Map(Object.entries(keys).map(([alg, k]) => [k.kid, { alg: alg as SigningAlg, key: k }]));
  return {
    kids: { ES256: keys.ES256.kid, RS256: keys.RS256.kid },

    async sign(alg, payload, typ) {
      const k = keys[alg];
      return new SignJWT(payload).setProtectedHeader({ alg, kid: k.kid, typ }).sign(k.privateKey);
    },

    async verify(jwt, { typ, audience, allowExpired }) {
      const kid = decodeProtectedHeader(jwt).kid;
      const found = kid === undefined ? undefined : byKid.get(kid);
      if (!found) throw new Error("unknown signing key");
      if (allowExpired) {
        const { payload, protectedHeader } = await compactVerify(jwt, found.key.publicKey, { algorithms: [found.alg] });
        if (typ && protectedHeader.typ !== typ) throw new Error("unexpected typ");
        const claims = JSON.parse(new TextDecoder().decode(payload)) as Record<string, unknown>;
        if (claims.iss !== issuer) throw new Error("unexpected iss");
        return claims;
      }
      const { payload } = await jwtVerify(jwt, found.key.publicKey, {
        algorithms: [found.alg],
        issuer,
        typ,
        audience,
        currentDate: now(),
      });
      return payload as Record<string, unknown>;
    },

    async jwks() {
      return { keys: [keys.ES256.publicJwk, keys.RS256.publicJwk].map((k) => ({ ...k })) };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Everything together

export interface TestDeps {
  deps: OAuthDeps;
  stores: FakeStores;
  clock: FakeClock;
  keys: TestKeyRing;
}

/** The configured default (lib/config): a retry within 60 s, at most 20 times. */
export const REFRESH_REUSE_GRACE: RefreshReuseGrace = { seconds: 60, max: 20 };

export async function testDeps(
  opts: { start?: Date | string; lifetimes?: Partial<Lifetimes>; refreshReuseGrace?: RefreshReuseGrace } = {},
): Promise<TestDeps> {
  const clock = fakeClock(opts.start);
  const stores = new FakeStores();
  const keys = await testKeyRing(ISSUER, clock.now);
  const deps: OAuthDeps = {
    issuer: ISSUER,
    lifetimes: { ...LIFETIMES, ...opts.lifetimes },
    refreshReuseGrace: opts.refreshReuseGrace ?? REFRESH_REUSE_GRACE,
    stores,
    keys,
    now: clock.now,
  };
  return { deps, stores, clock, keys };
}

/** A form body, as lib/http hands it to the core. */
export const params = (p: Record<string, string>) => new Map(Object.entries(p));

/** RFC 6749 §2.3.1: id and secret are application/x-www-form-urlencoded, then joined by ":" and base64'd. */
export function basicAuth(id: string, secret: string): string {
  const formEncode = (s: string) => new URLSearchParams([["", s]]).toString().slice(1);
  return `Basic ${Buffer.from(`${formEncode(id)}:${formEncode(secret)}`, "utf8").toString("base64")}`;
}

/** Awaits a rejection and returns the error, failing if the promise resolves. */
export async function rejectionOf(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error("expected a rejection, but the promise resolved");
}

export const raw = (q: Record<string, string> | string | [string, string][]) => new URLSearchParams(q);

/** Runs `fn` and returns the OAuthError it throws, failing the test if it throws anything else. */
export function oauthErrorOf(fn: () => unknown): OAuthError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(OAuthError);
    return e as OAuthError;
  }
  throw new Error("expected an OAuthError, nothing was thrown");
}

/** Runs `fn` and returns the InvalidAuthorizationTarget (error page) it throws. */
export function pageErrorOf(fn: () => unknown): InvalidAuthorizationTarget {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidAuthorizationTarget);
    return e as InvalidAuthorizationTarget;
  }
  throw new Error("expected an InvalidAuthorizationTarget, nothing was thrown");
}

/** Where an answer to the client sends the browser (a query or fragment response); fails the test otherwise. */
export function locationOf(r: object): string {
  const response = "response" in r ? (r.response as AuthorizationResponse) : undefined;
  expect(response, "an answer to the client").toBeDefined();
  return responseLocation(response!);
}
