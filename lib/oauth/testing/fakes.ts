// In-memory collaborators for unit tests of the protocol core: OAuthStores over Maps that keep
// the atomic contracts of types.ts (redeemCode wins once, rotateRefresh only while current),
// a settable clock, and a real KeyRing over jose-generated ES256 and RS256 keys.
// Stores hand out copies, as a database would: a record read earlier does not change later.
import { randomUUID } from "node:crypto";
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
import { randomToken, sha256 } from "../../crypto/tokens";
import type {
  AccessRecord,
  CodeRecord,
  KeyRing,
  Lifetimes,
  NewAccessToken,
  NewCode,
  NewRefreshToken,
  OAuthClient,
  OAuthDeps,
  OAuthStores,
  OAuthUser,
  PendingRequest,
  PortalSessionInfo,
  RefreshRecord,
  SigningAlg,
} from "../types";

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
    suspended: false,
    ...rest,
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

// ---------------------------------------------------------------------------------------------
// Stores

type AuditEvent = Parameters<OAuthStores["audit"]["record"]>[0];
type StoredCode = Omit<CodeRecord, "userActive"> & { codeHash: string };
type StoredRefresh = Omit<RefreshRecord, "userActive"> & { tokenHash: string };

const copy = <T>(v: T): T => structuredClone(v);

export class FakeStores implements OAuthStores {
  readonly clientRows = new Map<string, OAuthClient>(); // by public client_id
  readonly userRows = new Map<string, OAuthUser>();
  readonly sessionRows = new Map<string, PortalSessionInfo>();
  readonly consentRows = new Map<string, string[]>(); // `${userId} ${clientId}`
  readonly requestRows = new Map<string, PendingRequest>();
  readonly codeRows = new Map<string, StoredCode>(); // by id
  readonly refreshRows = new Map<string, StoredRefresh>(); // by id
  readonly accessRows = new Map<string, AccessRecord>(); // by jti
  readonly auditEvents: AuditEvent[] = [];
  /** Every revokeGrant call, in order. */
  readonly revokedGrants: { grantId: string; now: Date }[] = [];

  addClient(c: OAuthClient): OAuthClient {
    this.clientRows.set(c.clientId, copy(c));
    return c;
  }

  addUser(u: OAuthUser): OAuthUser {
    this.userRows.set(u.id, copy(u));
    return u;
  }

  clients = {
    findByClientId: async (clientId: string) => copy(this.clientRows.get(clientId) ?? null),
  };

  users = {
    findById: async (id: string) => copy(this.userRows.get(id) ?? null),
  };

  private userActive(id: string): boolean {
    const u = this.userRows.get(id);
    return !!u && !u.disabled;
  }

  sessions = {
    findActive: async (id: string) => copy(this.sessionRows.get(id) ?? null),
  };

  consents = {
    find: async (userId: string, clientId: string) => copy(this.consentRows.get(`${userId} ${clientId}`) ?? null),
    grant: async (userId: string, clientId: string, scopes: string[]) => {
      const key = `${userId} ${clientId}`;
      this.consentRows.set(key, [...new Set([...(this.consentRows.get(key) ?? []), ...scopes])]);
    },
  };

  requests = {
    create: async (r: Omit<PendingRequest, "consumedAt">) => {
      this.requestRows.set(r.id, { ...copy(r), consumedAt: null });
    },
    find: async (id: string) => copy(this.requestRows.get(id) ?? null),
    bindSession: async (id: string, sessionId: string) => {
      const r = this.requestRows.get(id);
      if (!r) return false;
      if (r.sessionId === null) r.sessionId = sessionId;
      return r.sessionId === sessionId;
    },
    consume: async (id: string, now: Date) => {
      const r = this.requestRows.get(id);
      if (!r || r.consumedAt) return false;
      r.consumedAt = new Date(now);
      return true;
    },
  };

  codes = {
    create: async (c: NewCode) => {
      this.codeRows.set(c.id, { ...copy(c), consumedAt: null });
    },
    findByHash: async (codeHash: string): Promise<CodeRecord | null> => {
      for (const row of this.codeRows.values()) {
        if (row.codeHash === codeHash) {
          const { codeHash: _hash, ...record } = copy(row);
          return { ...record, userActive: this.userActive(record.userId) };
        }
      }
      return null;
    },
  };

  private insertAccess(a: NewAccessToken) {
    this.accessRows.set(a.jti, { ...copy(a), revokedAt: null });
  }

  private insertRefresh(r: NewRefreshToken, now: Date) {
    const id = randomUUID();
    this.refreshRows.set(id, { ...copy(r), id, createdAt: new Date(now), rotatedAt: null, revokedAt: null });
  }

  tokens = {
    redeemCode: async (codeId: string, now: Date, access: NewAccessToken, refresh: NewRefreshToken | null) => {
      const code = this.codeRows.get(codeId);
      if (!code || code.consumedAt) return false;
      code.consumedAt = new Date(now);
      this.insertAccess(access);
      if (refresh) this.insertRefresh(refresh, now);
      return true;
    },
    rotateRefresh: async (id: string, now: Date, access: NewAccessToken, refresh: NewRefreshToken) => {
      const row = this.refreshRows.get(id);
      if (!row || row.rotatedAt || row.revokedAt) return false;
      row.rotatedAt = new Date(now);
      this.insertAccess(access);
      this.insertRefresh(refresh, now);
      return true;
    },
    recordAccess: async (access: NewAccessToken) => {
      if (![...this.clientRows.values()].some((c) => c.id === access.clientId)) return false;
      this.insertAccess(access);
      return true;
    },
    findRefreshByHash: async (tokenHash: string): Promise<RefreshRecord | null> => {
      for (const row of this.refreshRows.values()) {
        if (row.tokenHash === tokenHash) {
          const { tokenHash: _hash, ...record } = copy(row);
          return { ...record, userActive: this.userActive(record.userId) };
        }
      }
      return null;
    },
    findAccess: async (jti: string) => copy(this.accessRows.get(jti) ?? null),
    revokeGrant: async (grantId: string, now: Date) => {
      this.revokedGrants.push({ grantId, now: new Date(now) });
      for (const r of this.refreshRows.values()) if (r.grantId === grantId && !r.revokedAt) r.revokedAt = new Date(now);
      for (const a of this.accessRows.values()) if (a.grantId === grantId && !a.revokedAt) a.revokedAt = new Date(now);
    },
    revokeAccess: async (jti: string, now: Date) => {
      const a = this.accessRows.get(jti);
      if (a && !a.revokedAt) a.revokedAt = new Date(now);
    },
  };

  audit = {
    record: async (e: AuditEvent) => {
      this.auditEvents.push(copy(e));
    },
  };

  // --- test helpers ----------------------------------------------------------------------------

  /** Stores a code as the authorization endpoint would (hashed); returns the raw code. */
  async addCode(record: Omit<NewCode, "codeHash" | "id"> & { id?: string }): Promise<{ code: string; id: string }> {
    const code = randomToken(32);
    const id = record.id ?? randomUUID();
    await this.codes.create({ ...record, id, codeHash: sha256(code) });
    return { code, id };
  }

  /** Stores a refresh token (hashed), as a redemption would; returns the raw token and its row id. */
  addRefresh(
    record: Omit<RefreshRecord, "id" | "rotatedAt" | "revokedAt" | "createdAt" | "userActive"> & Partial<Pick<RefreshRecord, "rotatedAt" | "revokedAt" | "createdAt">>,
  ): { token: string; id: string } {
    const token = randomToken(32);
    const id = randomUUID();
    this.refreshRows.set(id, {
      rotatedAt: null,
      revokedAt: null,
      createdAt: new Date(record.authTime),
      ...copy(record),
      id,
      tokenHash: sha256(token),
    });
    return { token, id };
  }

  /** The stored row of a raw refresh token (looked up by hash), or undefined. */
  refreshRowOf(token: string): StoredRefresh | undefined {
    const hash = sha256(token);
    return [...this.refreshRows.values()].find((r) => r.tokenHash === hash);
  }

  refreshRowsOfGrant(grantId: string): StoredRefresh[] {
    return [...this.refreshRows.values()].filter((r) => r.grantId === grantId);
  }

  accessRowsOfGrant(grantId: string): AccessRecord[] {
    return [...this.accessRows.values()].filter((a) => a.grantId === grantId);
  }
}

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

export async function testDeps(opts: { start?: Date | string; lifetimes?: Partial<Lifetimes> } = {}): Promise<TestDeps> {
  const clock = fakeClock(opts.start);
  const stores = new FakeStores();
  const keys = await testKeyRing(ISSUER, clock.now);
  const deps: OAuthDeps = {
    issuer: ISSUER,
    lifetimes: { ...LIFETIMES, ...opts.lifetimes },
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
