// Tests only: an in-memory world for the endpoints that read tokens back (UserInfo,
// introspection, revocation, end session): stores in maps, the real key ring over an in-memory
// key store, a settable clock, and helpers that issue tokens in exactly the issued format
// (RFC 9068 access tokens, opaque refresh tokens stored by SHA-256, ID tokens).
import { randomUUID } from "node:crypto";
import { createKeyRing } from "../keys/keyring";
import type { NewSigningKey } from "../db/keys";
import { randomToken, sha256 } from "../crypto/tokens";
import type {
  AccessRecord,
  OAuthClient,
  OAuthDeps,
  OAuthStores,
  OAuthUser,
  PortalSessionInfo,
  RefreshRecord,
} from "./types";

export const ISSUER = "https://id.test";
const SECRET = "fixture-secret-".repeat(4);

interface KeyRow extends NewSigningKey {
  state: string;
  createdAt: Date;
  retiredAt: Date | null;
}

// One set of keys for the whole test file (RSA key generation is slow); the key ring generates
// them on first use.
const keyRows: KeyRow[] = [];
const memoryKeyStore = {
  async published() {
    return keyRows;
  },
  async rotate(key: NewSigningKey) {
    const row = { ...key, state: "active", createdAt: new Date(), retiredAt: null };
    keyRows.push(row);
    return row;
  },
};

export interface AuditEvent {
  type: string;
  subjectId?: string | null;
  clientId?: string | null;
  data?: Record<string, string | number | boolean | null>;
}

export interface World {
  deps: OAuthDeps;
  /** Moves the clock of both the stores and the key ring. */
  advance(seconds: number): void;
  clients: Map<string, OAuthClient>;
  users: Map<string, OAuthUser>;
  access: Map<string, AccessRecord>;
  refresh: Map<string, Omit<RefreshRecord, "userActive">>;
  sessions: Map<string, PortalSessionInfo>;
  calls: { revokeGrant: string[]; revokeAccess: string[] };
  audit: AuditEvent[];
  addClient(c: Partial<OAuthClient> & { clientId: string }, secret?: string): OAuthClient;
  addUser(u: Partial<OAuthUser> & { id: string; email: string }): OAuthUser;
  issueAccess(o: { client: OAuthClient; user: OAuthUser | null; scope: string[]; grantId?: string | null }): Promise<string>;
  issueRefresh(o: { client: OAuthClient; user: OAuthUser; scope: string[]; grantId: string }): string;
  issueIdToken(o: { client: OAuthClient; user: OAuthUser; sid?: string; expiresIn?: number }): Promise<string>;
  addSession(userId: string): PortalSessionInfo;
}

const seconds = (d: Date) => Math.floor(d.getTime() / 1000);
const notUsed = (what: string) => () => Promise.reject(new Error(`${what} is not used by these endpoints`));

export function basicAuth(clientId: string, secret: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString("base64")}`;
}

/** Same header and signature, different payload: the signature no longer matches. */
export function tamper(jwt: string): string {
  const [h, p, s] = jwt.split(".") as [string, string, string];
  const claims = JSON.parse(Buffer.from(p, "base64url").toString()) as Record<string, unknown>;
  claims.sub = "someone-else";
  return `${h}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.${s}`;
}

export function createWorld(start = new Date("2030-01-01T00:00:00Z")): World {
  let nowMs = start.getTime();
  const now = () => new Date(nowMs);
  const clients = new Map<string, OAuthClient>();
  const users = new Map<string, OAuthUser>();
  const access = new Map<string, AccessRecord>();
  const refresh = new Map<string, Omit<RefreshRecord, "userActive">>();
  const refreshByHash = new Map<string, string>();
  const sessions = new Map<string, PortalSessionInfo>();
  const calls = { revokeGrant: [] as string[], revokeAccess: [] as string[] };
  const audit: AuditEvent[] = [];

  const stores: OAuthStores = {
    clients: {
      async findByClientId(clientId) {
        return clients.get(clientId) ?? null;
      },
    },
    users: {
      async findById(id) {
        return users.get(id) ?? null;
      },
    },
    sessions: {
      async findActive(id) {
        return sessions.get(id) ?? null;
      },
    },
    consents: { find: notUsed("consents.find"), grant: notUsed("consents.grant") },
    requests: {
      create: notUsed("requests.create"),
      find: notUsed("requests.find"),
      bindSession: notUsed("requests.bindSession"),
      consume: notUsed("requests.consume"),
    },
    codes: { create: notUsed("codes.create"), findByHash: notUsed("codes.findByHash") },
    tokens: {
      redeemCode: notUsed("tokens.redeemCode"),
      rotateRefresh: notUsed("tokens.rotateRefresh"),
      recordAccess: notUsed("tokens.recordAccess"),
      async findRefreshByHash(hash) {
        const id = refreshByHash.get(hash);
        if (!id) return null;
        const r = refresh.get(id)!;
        const u = users.get(r.userId);
        return { ...r, userActive: !!u && !u.disabled };
      },
      async findAccess(jti) {
        const a = access.get(jti);
        return a ? { ...a } : null;
      },
      async revokeGrant(grantId, at) {
        calls.revokeGrant.push(grantId);
        for (const r of refresh.values()) if (r.grantId === grantId && !r.revokedAt) r.revokedAt = at;
        for (const a of access.values()) if (a.grantId === grantId && !a.revokedAt) a.revokedAt = at;
      },
      async revokeAccess(jti, at) {
        calls.revokeAccess.push(jti);
        const a = access.get(jti);
        if (a && !a.revokedAt) a.revokedAt = at;
      },
    },
    audit: {
      async record(e) {
        audit.push(e);
      },
    },
  };

  // keyring.ts types its store as Prisma's (PrismaPromise results); ours returns plain promises
  // of the same rows, which is all the key ring uses.
  const keys = createKeyRing(memoryKeyStore as unknown as Parameters<typeof createKeyRing>[0], {
    issuer: ISSUER,
    secret: SECRET,
    retiredRetentionSeconds: 86_400,
    now: () => nowMs,
  });

  const deps: OAuthDeps = {
    issuer: ISSUER,
    lifetimes: { authorizationCode: 60, accessToken: 600, idToken: 3600, refreshIdle: 3600, refreshAbsolute: 86_400 },
    stores,
    keys,
    now,
  };

  return {
    deps,
    advance(s) {
      nowMs += s * 1000;
    },
    clients,
    users,
    access,
    refresh,
    sessions,
    calls,
    audit,
    addClient(c, secret) {
      const client: OAuthClient = {
        id: `internal-${c.clientId}`,
        name: c.clientId,
        ownerName: null,
        logoUrl: null,
        homepageUrl: null,
        verified: false,
        tokenEndpointAuthMethod: secret ? "client_secret_basic" : "none",
        secretHash: secret ? sha256(secret) : null,
        previousSecretHash: null,
        previousSecretExpiresAt: null,
        redirectUris: ["https://app.test/cb"],
        postLogoutRedirectUris: [],
        scopes: ["openid", "profile", "email", "offline_access"],
        grantTypes: ["authorization_code", "refresh_token"],
        requirePkce: true,
        signingAlg: "ES256",
        suspended: false,
        ...c,
      };
      clients.set(client.clientId, client);
      return client;
    },
    addUser(u) {
      const user: OAuthUser = { name: null, emailVerified: false, disabled: false, updatedAt: now(), ...u };
      users.set(user.id, user);
      return user;
    },
    async issueAccess({ client, user, scope, grantId = null }) {
      const jti = randomUUID();
      const iat = now();
      const expiresAt = new Date(nowMs + deps.lifetimes.accessToken * 1000);
      access.set(jti, { jti, grantId, clientId: client.id, userId: user?.id ?? null, scope, expiresAt, revokedAt: null });
      const claims: Record<string, unknown> = {
        iss: ISSUER,
        sub: user?.id ?? client.clientId,
        aud: ISSUER,
        client_id: client.clientId,
        scope: scope.join(" "),
        iat: seconds(iat),
        exp: seconds(expiresAt),
        jti,
      };
      if (user) claims.auth_time = seconds(iat);
      return keys.sign(client.signingAlg, claims, "at+jwt");
    },
    issueRefresh({ client, user, scope, grantId }) {
      const token = randomToken(32);
      const id = randomUUID();
      const created = now();
      refresh.set(id, {
        id,
        grantId,
        clientId: client.id,
        userId: user.id,
        sessionId: null,
        scope,
        authTime: created,
        createdAt: created,
        expiresAt: new Date(nowMs + deps.lifetimes.refreshIdle * 1000),
        absoluteExpiresAt: new Date(nowMs + deps.lifetimes.refreshAbsolute * 1000),
        rotatedAt: null,
        revokedAt: null,
      });
      refreshByHash.set(sha256(token), id);
      return token;
    },
    issueIdToken({ client, user, sid, expiresIn = 3600 }) {
      const claims: Record<string, unknown> = {
        iss: ISSUER,
        sub: user.id,
        aud: client.clientId,
        azp: client.clientId,
        iat: seconds(now()),
        exp: seconds(now()) + expiresIn,
        auth_time: seconds(now()),
      };
      if (sid) claims.sid = sid;
      return keys.sign(client.signingAlg, claims, "JWT");
    },
    addSession(userId) {
      const s: PortalSessionInfo = { id: randomToken(24), sid: randomToken(16), userId, authTime: now() };
      sessions.set(s.id, s);
      return s;
    },
  };
}
