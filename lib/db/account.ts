// The signed-in user's own account: profile, password, connected apps and portal sessions.
// Every function takes the caller's user id and touches only that user's rows, so a request
// naming someone else's session or client changes nothing. Each change and its audit event
// share one transaction.
import type { Db } from "./client";
import { audit } from "./audit";
import { isUniqueViolation } from "./errors";
import { revokeGrants, type GrantCounts } from "./grants";
import { revokeDevices } from "./devices";
import { voidEmailTokens } from "./email-tokens";
import { EmailTaken } from "./users";
import { parseScope } from "../oauth/scopes";
import { groupScopes, type ScopeGroup } from "../oauth/scope-groups";
import { apisNamedInScopes } from "./apis";
import { safeEqual, sha256 } from "../crypto/tokens";

/** The handle of a portal session id (see AccountSession.handle). */
export function sessionHandle(sessionId: string): string {
  return sha256(`portal-session:${sessionId}`);
}

/** Who did it, from where (for the audit trail). */
export interface ActorContext {
  ip?: string | null;
}

export interface ConnectedApp {
  /** The client's internal row id (what the revoke form posts). */
  clientId: string;
  name: string;
  logoUrl: string | null;
  homepageUrl: string | null;
  /** What it may do, in plain words, grouped per API (lib/oauth/scope-groups.ts). */
  scopes: ScopeGroup[];
  /** When the user last allowed it (first consent, or added scopes). */
  allowedAt: Date;
  /** The latest access token issued to it for this user, or Consent.lastUsedAt if later; null = never. */
  lastUsedAt: Date | null;
}

export interface AccountSession {
  /**
   * An opaque handle for the session (a hash of its id): the page and the sign-out form use
   * this, so that the id itself, which the session cookie carries, never appears in HTML.
   */
  handle: string;
  ip: string | null;
  userAgent: string | null;
  authTime: Date;
  lastSeenAt: Date;
  expiresAt: Date;
}

export function accountStore(db: Db) {
  return {
    /**
     * Changes the name and/or email. Emails are stored trimmed and lower-cased and stay unique
     * (EmailTaken); a new address is no longer verified. Audits `user.updated` with the fields
     * that changed (only when something did). Returns the fields that changed.
     */
    async updateProfile(userId: string, input: { name: string | null; email: string }, ctx: ActorContext = {}) {
      const email = input.email.trim().toLowerCase();
      const name = input.name?.trim() || null;
      try {
        return await db.$transaction(async (tx) => {
          const before = await tx.user.findUniqueOrThrow({ where: { id: userId } });
          const changed: string[] = [];
          if (before.name !== name) changed.push("name");
          if (before.email !== email) changed.push("email");
          if (changed.length === 0) return changed;
          await tx.user.update({
            where: { id: userId },
            data: { name, email, ...(before.email !== email ? { emailVerified: false } : {}) },
          });
          await audit(tx, {
            type: "user.updated",
            actorId: userId,
            subjectId: userId,
            ip: ctx.ip,
            data: { fields: changed.join(" "), ...(before.email !== email ? { previousEmail: before.email, email } : {}) },
          });
          return changed;
        });
      } catch (err) {
        if (isUniqueViolation(err)) throw new EmailTaken(email);
        throw err;
      }
    },

    /**
     * Sets a new password hash, clears `mustResetPassword` and ends every other portal session
     * of the user (the one given stays signed in). Unless `keepApps`, also revokes every grant
     * of the user (consents, unredeemed codes, refresh and access tokens; lib/db/grants.ts), so
     * whoever knew the old password loses the apps it connected too. Every trusted device is
     * forgotten (a browser trusted under the old password may not be the user's). Audits
     * `user.password_changed` with the counts, in the same transaction.
     */
    async changePassword(
      userId: string,
      keepSessionId: string,
      passwordHash: string,
      ctx: ActorContext = {},
      opts: { keepApps?: boolean } = {},
    ): Promise<{ otherSessionsEnded: number; revoked: GrantCounts | null }> {
      return db.$transaction(async (tx) => {
        await tx.user.update({ where: { id: userId }, data: { passwordHash, mustResetPassword: false } });
        const ended = await tx.portalSession.updateMany({
          where: { userId, revokedAt: null, id: { not: keepSessionId } },
          data: { revokedAt: new Date() },
        });
        const revoked = opts.keepApps ? null : await revokeGrants(tx, { userId });
        // Browsers trusted under the old password (lib/db/devices.ts) start over as new ones.
        const devices = await revokeDevices(tx, userId);
        // A reset link mailed before the change must not undo it (OWASP Forgot Password Cheat Sheet).
        await voidEmailTokens(tx, userId, ["reset"]);
        await audit(tx, {
          type: "user.password_changed",
          actorId: userId,
          subjectId: userId,
          ip: ctx.ip,
          data: { otherSessionsEnded: ended.count, keptApps: Boolean(opts.keepApps), ...(revoked ?? {}), devices },
        });
        return { otherSessionsEnded: ended.count, revoked };
      });
    },

    /** Every client the user has an active consent for, most recently allowed first. */
    async connectedApps(userId: string): Promise<ConnectedApp[]> {
      const consents = await db.consent.findMany({
        where: { userId, revokedAt: null },
        include: { client: { select: { id: true, name: true, logoUrl: true, homepageUrl: true } } },
        orderBy: [{ updatedAt: "desc" }, { id: "asc" }],
      });
      if (consents.length === 0) return [];
      const latest = await db.accessToken.groupBy({
        by: ["clientId"],
        where: { userId, clientId: { in: consents.map((c) => c.clientId) } },
        _max: { createdAt: true },
      });
      const lastToken = new Map(latest.map((r) => [r.clientId, r._max.createdAt]));
      // The APIs that granted scopes belong to, for their names and descriptions.
      const apis = await apisNamedInScopes(db, consents.flatMap((c) => parseScope(c.scopes)));
      return consents.map((c) => {
        const token = lastToken.get(c.clientId) ?? null;
        const used = [token, c.lastUsedAt].filter((d): d is Date => d instanceof Date);
        return {
          clientId: c.client.id,
          name: c.client.name,
          logoUrl: c.client.logoUrl,
          homepageUrl: c.client.homepageUrl,
          scopes: groupScopes(parseScope(c.scopes), apis),
          allowedAt: c.updatedAt,
          lastUsedAt: used.length ? new Date(Math.max(...used.map((d) => d.getTime()))) : null,
        };
      });
    },

    /**
     * Revokes the user's consent to one client and every code and token the client holds for
     * the user (lib/db/grants.ts), audited as `consent.revoked` with the counts. Returns null,
     * changing nothing, when the user has no active consent for that client.
     */
    async revokeConnectedApp(userId: string, clientId: string, ctx: ActorContext = {}): Promise<GrantCounts | null> {
      return db.$transaction(async (tx) => {
        const consent = await tx.consent.findUnique({ where: { userId_clientId: { userId, clientId } } });
        if (!consent || consent.revokedAt) return null;
        const counts = await revokeGrants(tx, { userId, clientId });
        await audit(tx, { type: "consent.revoked", actorId: userId, subjectId: userId, clientId, ip: ctx.ip, data: { ...counts } });
        return counts;
      });
    },

    /** The user's live portal sessions (not revoked, not expired), most recently seen first. */
    async sessions(userId: string, now = new Date()): Promise<AccountSession[]> {
      const rows = await db.portalSession.findMany({
        where: { userId, revokedAt: null, expiresAt: { gt: now } },
        select: { id: true, ip: true, userAgent: true, authTime: true, lastSeenAt: true, expiresAt: true },
        orderBy: [{ lastSeenAt: "desc" }, { id: "asc" }],
      });
      return rows.map(({ id, ...rest }) => ({ handle: sessionHandle(id), ...rest }));
    },

    /**
     * Ends the user's session with this handle. A handle that is not one of the user's live
     * sessions (someone else's, unknown, already ended) changes nothing and returns false.
     * Audits `session.revoked`.
     */
    async revokeSession(userId: string, handle: string, ctx: ActorContext = {}): Promise<boolean> {
      return db.$transaction(async (tx) => {
        const live = await tx.portalSession.findMany({ where: { userId, revokedAt: null }, select: { id: true } });
        const match = live.find((s) => safeEqual(sessionHandle(s.id), handle));
        if (!match) return false;
        const r = await tx.portalSession.updateMany({
          where: { id: match.id, userId, revokedAt: null },
          data: { revokedAt: new Date() },
        });
        if (r.count === 0) return false;
        await audit(tx, { type: "session.revoked", actorId: userId, subjectId: userId, ip: ctx.ip, data: { sessions: 1 } });
        return true;
      });
    },

    /** Ends every session of the user but `keepSessionId`. Audits `session.revoked` with the count. */
    async revokeOtherSessions(userId: string, keepSessionId: string, ctx: ActorContext = {}): Promise<number> {
      return db.$transaction(async (tx) => {
        const r = await tx.portalSession.updateMany({
          where: { userId, revokedAt: null, id: { not: keepSessionId } },
          data: { revokedAt: new Date() },
        });
        if (r.count > 0) {
          await audit(tx, { type: "session.revoked", actorId: userId, subjectId: userId, ip: ctx.ip, data: { sessions: r.count, scope: "others" } });
        }
        return r.count;
      });
    },
  };
}

export type AccountStore = ReturnType<typeof accountStore>;
