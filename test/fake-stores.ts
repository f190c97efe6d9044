// The one in-memory OAuthStores (lib/oauth/types.ts) for unit tests of the protocol core.
// test/store-contract.ts runs the same behavioural tests against it and against the real stores
// (lib/db/protocol) on SQLite and PostgreSQL, so it cannot drift from them: codes are used once
// and not after they expire, refresh tokens rotate once, a grant's tokens are revoked together,
// consents add up, a session is signed in only while it and its user are live, and the token
// writes record the same audit events.
// Stores hand out copies, as a database would: a record read earlier does not change later.
import { randomUUID } from "node:crypto";
import { randomToken, sha256 } from "../lib/crypto/tokens";
import { tokenAuditEvent } from "../lib/db/protocol/token-audit";
import { parseScope } from "../lib/oauth/scopes";
import type {
  AccessRecord,
  ApiRecord,
  CodeRecord,
  ConsentDecision,
  DocumentClientStore,
  NewAccessToken,
  NewCode,
  NewRefreshToken,
  OAuthClient,
  OAuthStores,
  OAuthUser,
  PendingRequest,
  PortalSessionInfo,
  RefreshRecord,
} from "../lib/oauth/types";

export type AuditEvent = Parameters<OAuthStores["audit"]["record"]>[0];
type StoredCode = Omit<CodeRecord, "userActive" | "user"> & { codeHash: string };
type StoredRefresh = Omit<RefreshRecord, "userActive" | "user"> & {
  tokenHash: string;
  successorId: string | null;
  replay: string | null;
  replayCount: number;
};
/** A portal session row: what the protocol sees, and what decides whether it is still signed in. */
export type FakeSession = PortalSessionInfo & { expiresAt: Date; revokedAt: Date | null };

/** Far enough that no test session expires unless it asks to. */
const NEVER = new Date("9999-12-31T00:00:00Z");
const copy = <T>(v: T): T => structuredClone(v);
const consentKey = (userId: string, clientId: string) => `${userId} ${clientId}`;

export class FakeStores implements OAuthStores {
  readonly clientRows = new Map<string, OAuthClient>(); // by public client_id
  readonly apiRows = new Map<string, ApiRecord>(); // by id
  readonly userRows = new Map<string, OAuthUser>();
  /** Users an admin told to reset their password (User.mustResetPassword). */
  readonly passwordResetDue = new Set<string>();
  readonly sessionRows = new Map<string, FakeSession>();
  readonly consentRows = new Map<string, string[]>(); // consentKey(userId, clientId)
  readonly requestRows = new Map<string, PendingRequest>();
  readonly codeRows = new Map<string, StoredCode>(); // by id
  readonly refreshRows = new Map<string, StoredRefresh>(); // by id
  readonly accessRows = new Map<string, AccessRecord>(); // by jti
  readonly auditEvents: AuditEvent[] = [];
  readonly clientErrors: { clientId: string; message: string; at: Date }[] = [];
  /** Every revokeGrant and revokeAccess call, in order. */
  readonly revokedGrants: { grantId: string; now: Date }[] = [];
  readonly revokedAccess: { jti: string; now: Date }[] = [];
  /** How often each store method was called ("tokens.redeemCode": 1, …). */
  readonly calls: Record<string, number> = {};

  clients = {
    findByClientId: async (clientId: string) => copy(this.clientRows.get(clientId) ?? null),
    recordError: async (clientId: string, message: string, at: Date) => {
      this.clientErrors.push({ clientId, message, at: new Date(at) });
    },
  };

  /** client_ids whose rows documentClients.save created (registeredVia "metadata_document"). */
  readonly documentClientIds = new Set<string>();

  /** DocumentClientStore: the rows of Client ID Metadata Documents, in clientRows. */
  documentClients: DocumentClientStore = {
    save: async (clientId, m, _now) => {
      const existing = this.clientRows.get(clientId);
      if (existing && !this.documentClientIds.has(clientId)) return null;
      this.documentClientIds.add(clientId);
      const row: OAuthClient = {
        id: existing?.id ?? randomUUID(),
        clientId,
        name: m.client_name,
        ownerName: null,
        logoUrl: m.logo_uri ?? null,
        homepageUrl: m.client_uri ?? null,
        // A change of what users see ends an admin's verification (lib/db/clients.ts losesVerification).
        verified:
          !!existing?.verified &&
          existing.name === m.client_name &&
          existing.logoUrl === (m.logo_uri ?? null) &&
          existing.homepageUrl === (m.client_uri ?? null) &&
          JSON.stringify(existing.redirectUris) === JSON.stringify(m.redirect_uris),
        tokenEndpointAuthMethod: m.token_endpoint_auth_method,
        secretHash: null,
        previousSecretHash: null,
        previousSecretExpiresAt: null,
        redirectUris: [...m.redirect_uris],
        postLogoutRedirectUris: [...m.post_logout_redirect_uris],
        scopes: parseScope(m.scope.trim().split(/\s+/).join(" ")),
        grantTypes: [...m.grant_types],
        requirePkce: m.require_pkce,
        signingAlg: m.id_token_signed_response_alg,
        idTokenUserClaims: m.id_token_user_claims,
        suspended: existing?.suspended ?? false,
        defaultResource: null,
        resourceServer: null,
      };
      this.clientRows.set(clientId, row);
      return copy(row);
    },
  };

  apis = {
    findByIdentifier: async (identifier: string) => copy([...this.apiRows.values()].find((a) => a.identifier === identifier) ?? null),
    findById: async (id: string) => copy(this.apiRows.get(id) ?? null),
    findWithScope: async (scope: string) => copy([...this.apiRows.values()].filter((a) => a.scopes.some((s) => s.name === scope))),
  };

  users = {
    findById: async (id: string) => copy(this.userRows.get(id) ?? null),
  };

  sessions = {
    findSignedIn: async (id: string): Promise<PortalSessionInfo | null> => {
      const s = this.sessionRows.get(id);
      if (!s || s.revokedAt || s.expiresAt <= new Date() || !this.userActive(s.userId) || this.passwordResetDue.has(s.userId)) return null;
      return { id: s.id, sid: s.sid, userId: s.userId, authTime: new Date(s.authTime), amr: [...s.amr] };
    },
  };

  consents = {
    find: async (userId: string, clientId: string) => copy(this.consentRows.get(consentKey(userId, clientId)) ?? null),
    grant: async (userId: string, clientId: string, scopes: string[]) => {
      const key = consentKey(userId, clientId);
      this.consentRows.set(key, [...new Set([...(this.consentRows.get(key) ?? []), ...scopes])]);
      this.auditEvents.push({ type: "consent.granted", actorId: userId, subjectId: userId, clientId, data: { scope: scopes.join(" ") } });
    },
  };

  requests = {
    create: async (r: Omit<PendingRequest, "consumedAt" | "decision">) => {
      this.requestRows.set(r.id, { ...copy(r), consumedAt: null, decision: null });
    },
    find: async (id: string) => copy(this.requestRows.get(id) ?? null),
    bindSession: async (id: string, sessionId: string) => {
      const r = this.requestRows.get(id);
      if (!r) return false;
      if (r.sessionId === null) r.sessionId = sessionId;
      return r.sessionId === sessionId;
    },
    consume: async (id: string, now: Date, decision?: ConsentDecision) => {
      const r = this.requestRows.get(id);
      if (!r || r.consumedAt) return false;
      r.consumedAt = new Date(now);
      r.decision = decision ?? null;
      return true;
    },
    takeDecision: async (id: string) => {
      const r = this.requestRows.get(id);
      const decision = r?.decision ?? null;
      if (r) r.decision = null;
      return decision;
    },
  };

  codes = {
    create: async (c: NewCode) => {
      this.codeRows.set(c.id, { ...copy(c), resources: copy(c.resources ?? []), consumedAt: null });
    },
    findByHash: async (codeHash: string): Promise<CodeRecord | null> => {
      const row = [...this.codeRows.values()].find((c) => c.codeHash === codeHash);
      if (!row) return null;
      const { codeHash: _hash, ...record } = copy(row);
      const user = this.grantUser(record.userId);
      return user && { ...record, ...user };
    },
  };

  tokens = {
    redeemCode: async (codeId: string, now: Date, access: NewAccessToken, refresh: NewRefreshToken | null) => {
      const code = this.codeRows.get(codeId);
      // Not consumed and not expired at this instant (a revocation expires unused codes).
      if (!code || code.consumedAt || code.expiresAt <= now) return false;
      code.consumedAt = new Date(now);
      this.insertAccess(access);
      if (refresh) this.insertRefresh(refresh, now);
      this.auditEvents.push(tokenAuditEvent("authorization_code", access, refresh !== null));
      return true;
    },
    rotateRefresh: async (id: string, now: Date, access: NewAccessToken, refresh: NewRefreshToken, replay: string | null) => {
      const row = this.refreshRows.get(id);
      if (!row || row.rotatedAt || row.revokedAt) return false;
      row.rotatedAt = new Date(now);
      row.replay = null; // its own response is no longer useful once it is used
      this.insertAccess(access);
      row.successorId = this.insertRefresh(refresh, now, replay);
      this.auditEvents.push(tokenAuditEvent("refresh_token", access, true));
      return true;
    },
    claimReplay: async (id: string, rotatedAfter: Date, max: number | null) => {
      const row = this.refreshRows.get(id);
      if (!row?.rotatedAt || row.rotatedAt <= rotatedAfter || row.revokedAt || !row.successorId) return null;
      const next = this.refreshRows.get(row.successorId);
      if (!next || next.rotatedAt || next.revokedAt || next.replay === null || (max !== null && next.replayCount >= max)) return null;
      if (max !== null) next.replayCount++;
      return next.replay;
    },
    revokeOnReuse: async (grantId: string, now: Date, who: { userId: string; clientId: string }) => {
      this.revokeFamily(grantId, now);
      this.auditEvents.push({ type: "refresh.reuse_detected", subjectId: who.userId, clientId: who.clientId });
    },
    recordAccess: async (access: NewAccessToken) => {
      // The real store's foreign keys: the client (and the user, if any) must exist.
      const clientExists = [...this.clientRows.values()].some((c) => c.id === access.clientId);
      if (!clientExists || (access.userId !== null && !this.userRows.has(access.userId))) return false;
      this.insertAccess(access);
      this.auditEvents.push(tokenAuditEvent("client_credentials", access, false));
      return true;
    },
    findRefreshByHash: async (tokenHash: string): Promise<RefreshRecord | null> => {
      const row = [...this.refreshRows.values()].find((r) => r.tokenHash === tokenHash);
      if (!row) return null;
      const { tokenHash: _hash, successorId: _s, replay: _r, replayCount: _n, ...record } = copy(row);
      const user = this.grantUser(record.userId);
      return user && { ...record, ...user };
    },
    findAccess: async (jti: string) => copy(this.accessRows.get(jti) ?? null),
    revokeGrant: async (grantId: string, now: Date) => this.revokeFamily(grantId, now),
    revokeAccess: async (jti: string, now: Date) => {
      this.revokedAccess.push({ jti, now: new Date(now) });
      const a = this.accessRows.get(jti);
      if (a && !a.revokedAt) a.revokedAt = new Date(now);
    },
  };

  audit = {
    record: async (e: AuditEvent) => {
      this.auditEvents.push(copy(e));
    },
  };

  constructor() {
    // Count every call a test makes through the OAuthStores interface.
    for (const group of ["clients", "apis", "users", "sessions", "consents", "requests", "codes", "tokens", "audit"] as const) {
      const methods = this[group] as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
      for (const [name, fn] of Object.entries(methods)) {
        methods[name] = (...args) => {
          this.calls[`${group}.${name}`] = (this.calls[`${group}.${name}`] ?? 0) + 1;
          return fn(...args);
        };
      }
    }
  }

  private userActive(id: string): boolean {
    const u = this.userRows.get(id);
    return !!u && !u.disabled;
  }

  /** The real stores JOIN the user: no user, no record. */
  private grantUser(id: string): Pick<CodeRecord, "userActive" | "user"> | null {
    const u = this.userRows.get(id);
    if (!u) return null;
    const { disabled, ...user } = copy(u);
    return { userActive: !disabled, user };
  }

  /** revokeGrant's (and revokeOnReuse's) work: recorded in revokedGrants. */
  private revokeFamily(grantId: string, now: Date) {
    this.revokedGrants.push({ grantId, now: new Date(now) });
    for (const r of this.refreshRows.values()) {
      if (r.grantId === grantId && !r.revokedAt) Object.assign(r, { revokedAt: new Date(now), replay: null });
    }
    for (const a of this.accessRows.values()) if (a.grantId === grantId && !a.revokedAt) a.revokedAt = new Date(now);
  }

  private insertAccess(a: NewAccessToken) {
    this.accessRows.set(a.jti, { ...copy(a), revokedAt: null });
  }

  private insertRefresh(r: NewRefreshToken, now: Date, replay: string | null = null): string {
    const id = randomUUID();
    this.refreshRows.set(id, {
      ...copy(r),
      resources: copy(r.resources ?? []),
      id,
      createdAt: new Date(now),
      rotatedAt: null,
      revokedAt: null,
      successorId: null,
      replay,
      replayCount: 0,
    });
    return id;
  }

  // --- set-up and inspection for tests (not part of OAuthStores) --------------------------------

  addClient(c: OAuthClient): OAuthClient {
    this.clientRows.set(c.clientId, copy(c));
    return c;
  }

  addApi(a: ApiRecord): ApiRecord {
    this.apiRows.set(a.id, copy(a));
    return a;
  }

  addUser(u: OAuthUser): OAuthUser {
    this.userRows.set(u.id, copy(u));
    return u;
  }

  /** A portal session (signed in until `expiresAt`, by default for good). */
  addSession(s: PortalSessionInfo, opts: { expiresAt?: Date } = {}): FakeSession {
    const row = { ...copy(s), expiresAt: opts.expiresAt ?? NEVER, revokedAt: null };
    this.sessionRows.set(s.id, row);
    return row;
  }

  /** The scopes a user has consented to for a client (by its row id), as stored. */
  consentOf(userId: string, clientId: string): string[] | undefined {
    return this.consentRows.get(consentKey(userId, clientId));
  }

  /** Consent stored as if given earlier (no store call, no audit event). */
  setConsent(userId: string, clientId: string, scopes: string[]): void {
    this.consentRows.set(consentKey(userId, clientId), [...scopes]);
  }

  /** Stores a code as the authorization endpoint would (hashed); returns the raw code. amr: "pwd" unless given. */
  addCode(record: Omit<NewCode, "codeHash" | "id" | "amr"> & { id?: string; amr?: string[] }): { code: string; id: string } {
    const code = randomToken(32);
    const id = record.id ?? randomUUID();
    this.codeRows.set(id, { resources: [], amr: ["pwd"], ...copy(record), id, codeHash: sha256(code), consumedAt: null });
    return { code, id };
  }

  /** Stores a refresh token (hashed), as a redemption would; returns the raw token and its row id. amr: "pwd" unless given. */
  addRefresh(
    record: Omit<RefreshRecord, "id" | "rotatedAt" | "revokedAt" | "createdAt" | "userActive" | "user" | "resources" | "amr"> &
      Partial<Pick<RefreshRecord, "rotatedAt" | "revokedAt" | "createdAt" | "resources" | "amr">>,
  ): { token: string; id: string } {
    const token = randomToken(32);
    const id = randomUUID();
    this.refreshRows.set(id, {
      resources: [],
      amr: ["pwd"],
      rotatedAt: null,
      revokedAt: null,
      createdAt: new Date(record.authTime),
      ...copy(record),
      id,
      tokenHash: sha256(token),
      successorId: null,
      replay: null,
      replayCount: 0,
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
