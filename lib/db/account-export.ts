// What "Download my data" reads (GDPR Art. 15 and 20: access and portability): the user's
// profile, connected apps, live sessions, second factors and recent security events. Every
// query selects its fields by name, so that no secret (password hash, TOTP secret, recovery code
// hashes, session ids, token hashes, passkey public keys) can reach the file by accident; the
// shape of the file is lib/auth/account-export.ts.
import type { Db } from "./client";
import { audit } from "./audit";
import { accountStore, type ConnectedApp } from "./account";

/** How far back the security events go, and how many at most. */
export const EXPORT_EVENTS_DAYS = 90;
export const EXPORT_EVENTS_MAX = 500;

export interface AccountExportRows {
  user: { id: string; email: string; name: string | null; emailVerified: boolean; role: string; createdAt: Date; totpEnabledAt: Date | null };
  connectedApps: ConnectedApp[];
  sessions: { createdAt: Date; lastSeenAt: Date; expiresAt: Date; ip: string | null; userAgent: string | null; amr: string; current: boolean }[];
  passkeys: { name: string; createdAt: Date; lastUsedAt: Date | null }[];
  recoveryCodesLeft: number;
  events: { type: string; createdAt: Date; ip: string | null }[];
  eventsSince: Date;
}

export function accountExportStore(db: Db) {
  return {
    /** The rows of the export; `currentSessionId` only marks which session is this one. */
    async gather(userId: string, currentSessionId: string, now = new Date()): Promise<AccountExportRows> {
      const eventsSince = new Date(now.getTime() - EXPORT_EVENTS_DAYS * 86_400_000);
      const [user, connectedApps, sessions, passkeys, recoveryCodesLeft, events] = await Promise.all([
        db.user.findUniqueOrThrow({
          where: { id: userId },
          select: { id: true, email: true, name: true, emailVerified: true, role: true, createdAt: true, totpEnabledAt: true },
        }),
        accountStore(db).connectedApps(userId),
        db.portalSession.findMany({
          where: { userId, revokedAt: null, expiresAt: { gt: now } },
          select: { id: true, createdAt: true, lastSeenAt: true, expiresAt: true, ip: true, userAgent: true, amr: true },
          orderBy: [{ lastSeenAt: "desc" }, { createdAt: "desc" }],
        }),
        db.passkey.findMany({ where: { userId }, select: { name: true, createdAt: true, lastUsedAt: true }, orderBy: { createdAt: "asc" } }),
        db.recoveryCode.count({ where: { userId, usedAt: null } }),
        db.auditEvent.findMany({
          where: { OR: [{ subjectId: userId }, { actorId: userId }], createdAt: { gte: eventsSince } },
          select: { type: true, createdAt: true, ip: true },
          orderBy: [{ createdAt: "desc" }, { id: "desc" }],
          take: EXPORT_EVENTS_MAX,
        }),
      ]);
      return {
        user,
        connectedApps,
        sessions: sessions.map(({ id, ...s }) => ({ ...s, current: id === currentSessionId })),
        passkeys,
        recoveryCodesLeft,
        events,
        eventsSince,
      };
    },

    /** Records that the user downloaded their data (`account.exported`). */
    recordExport(userId: string, ip: string | null) {
      return audit(db, { type: "account.exported", actorId: userId, subjectId: userId, ip });
    },
  };
}
