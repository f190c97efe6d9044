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
import type {
  AccessRecord,
  ApiRecord,
  CodeRecord,
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
type StoredCode = Omit<CodeRecord, "userActive"> & { codeHash: string };
type StoredRefresh = Omit<RefreshRecord, "userActive"> & { tokenHash: string };
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
      return { id: s.id, sid: s.sid, userId: s.userId, authTime: new Date(s.authTime) };
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
      this.codeRows.set(c.id, { ...copy(c), resources: copy(c.resources ?? []), consumedAt: null });
    },
    findByHash: async (codeHash: string): Promise<CodeRecord | null> => {
      const row = [...this.codeRows.values()].find((c) => c.codeHash === codeHash);
      if (!row) return null;
      const { codeHash: _hash, ...record } = copy(row);
      return { ...record, userActive: this.userActive(record.userId) };
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
    rotateRefresh: async (id: string, now: Date, access: NewAccessToken, refresh: NewRefreshToken) => {
      const row = this.refreshRows.get(id);
      if (!row || row.rotatedAt || row.revokedAt) return false;
      row.rotatedAt = new Date(now);
      this.insertAccess(access);
      this.insertRefresh(refresh, now);
      this.auditEvents.push(tokenAuditEvent("refresh_token", access, true));
      return true;
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
      const { tokenHash: _hash, ...record } = copy(row);
      return { ...record, userActive: this.userActive(record.userId) };
    },
    findAccess: async (jti: string) => copy(this.accessRows.get(jti) ?? null),
    revokeGrant: async (grantId: string, now: Date) => {
      this.revokedGrants.push({ grantId, now: new Date(now) });
      for (const r of this.refreshRows.values()) if (r.grantId === grantId && !r.revokedAt) r.revokedAt = new Date(now);
      for (const a of this.accessRows.values()) if (a.grantId === grantId && !a.revokedAt) a.revokedAt = new Date(now);
    },
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

  private insertAccess(a: NewAccessToken) {
    this.accessRows.set(a.jti, { ...copy(a), revokedAt: null });
  }

  private insertRefresh(r: NewRefreshToken, now: Date) {
    const id = randomUUID();
    this.refreshRows.set(id, { ...copy(r), resources: copy(r.resources ?? []), id, createdAt: new Date(now), rotatedAt: null, revokedAt: null });
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

  /** Stores a code as the authorization endpoint would (hashed); returns the raw code. */
  addCode(record: Omit<NewCode, "codeHash" | "id"> & { id?: string }): { code: string; id: string } {
    const code = randomToken(32);
    const id = record.id ?? randomUUID();
    this.codeRows.set(id, { resources: [], ...copy(record), id, codeHash: sha256(code), consumedAt: null });
    return { code, id };
  }

  /** Stores a refresh token (hashed), as a redemption would; returns the raw token and its row id. */
  addRefresh(
    record: Omit<RefreshRecord, "id" | "rotatedAt" | "revokedAt" | "createdAt" | "userActive" | "resources"> &
      Partial<Pick<RefreshRecord, "rotatedAt" | "revokedAt" | "createdAt" | "resources">>,
  ): { token: string; id: string } {
    const token = randomToken(32);
    const id = randomUUID();
    this.refreshRows.set(id, {
      resources: [],
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
