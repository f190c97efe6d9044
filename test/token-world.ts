// An in-memory world for the endpoints that read tokens back (UserInfo, introspection,
// revocation, end session): the one fake store (test/fake-stores.ts), the real key ring over an
// in-memory key store, a settable clock, and helpers that issue tokens in exactly the issued
// format (RFC 9068 access tokens, opaque refresh tokens stored by SHA-256, ID tokens).
import { randomUUID } from "node:crypto";
import { createKeyRing } from "../lib/keys/keyring";
import type { NewSigningKey } from "../lib/keys/generate";
import { randomToken, sha256 } from "../lib/crypto/tokens";
import type { AccessRecord, OAuthClient, OAuthDeps, OAuthUser, PortalSessionInfo, RefreshRecord } from "../lib/oauth/types";
import { FakeStores, type AuditEvent, type FakeSession } from "./fake-stores";
import { testClient } from "./oauth-fixtures";

export { basicAuth } from "./oauth-fixtures";

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

export interface World {
  deps: OAuthDeps;
  /** Moves the clock of both the stores and the key ring. */
  advance(seconds: number): void;
  clients: Map<string, OAuthClient>;
  users: Map<string, OAuthUser>;
  access: Map<string, AccessRecord>;
  refresh: Map<string, Omit<RefreshRecord, "userActive" | "user">>;
  sessions: Map<string, FakeSession>;
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
  const stores = new FakeStores();
  const clients = stores.clientRows;
  const users = stores.userRows;
  const access = stores.accessRows;
  const audit = stores.auditEvents;

  const keys = createKeyRing(memoryKeyStore, {
    issuer: ISSUER,
    secret: SECRET,
    retiredRetentionSeconds: 86_400,
    now: () => nowMs,
  });

  const deps: OAuthDeps = {
    issuer: ISSUER,
    lifetimes: { authorizationCode: 60, accessToken: 600, idToken: 3600, refreshIdle: 3600, refreshAbsolute: 86_400 },
    refreshReuseGrace: { seconds: 60, max: 20 },
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
    refresh: stores.refreshRows,
    sessions: stores.sessionRows,
    /** The revocations asked of the store, in order. */
    get calls() {
      return { revokeGrant: stores.revokedGrants.map((g) => g.grantId), revokeAccess: stores.revokedAccess.map((a) => a.jti) };
    },
    audit,
    addClient(c, secret) {
      const client = testClient({
        id: `internal-${c.clientId}`,
        name: c.clientId,
        ownerName: null,
        tokenEndpointAuthMethod: secret ? "client_secret_basic" : "none",
        secretHash: secret ? sha256(secret) : null,
        redirectUris: ["https://app.test/cb"],
        requirePkce: true,
        ...c,
      });
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
      // As lib/oauth/tokens.ts issues a user's token: when and how the user authenticated.
      if (user) Object.assign(claims, { auth_time: seconds(iat), acr: "http://schemas.openid.net/pape/policies/2007/06/multi-factor", amr: ["pwd", "otp", "mfa"] });
      return keys.sign(client.signingAlg, claims, "at+jwt");
    },
    issueRefresh({ client, user, scope, grantId }) {
      const created = now();
      return stores.addRefresh({
        grantId,
        clientId: client.id,
        userId: user.id,
        sessionId: null,
        scope,
        authTime: created,
        amr: ["pwd"],
        createdAt: created,
        expiresAt: new Date(nowMs + deps.lifetimes.refreshIdle * 1000),
        absoluteExpiresAt: new Date(nowMs + deps.lifetimes.refreshAbsolute * 1000),
      }).token;
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
      const s: PortalSessionInfo = { id: randomToken(24), sid: randomToken(16), userId, authTime: now(), amr: ["pwd"] };
      stores.addSession(s);
      return s;
    },
  };
}
