// Portal sessions: server-side rows that the session cookie points at (by id).
import type { Db } from "./client";
import { randomToken } from "../crypto/tokens";

/** How stale `lastSeenAt` may get before a request refreshes it (spares a write per request). */
const TOUCH_AFTER_MS = 60_000;

export function sessionStore(db: Db) {
  return {
    /** `amr`: how the user authenticated (RFC 8176 values; lib/oauth/amr.ts), "pwd" when not given. */
    create(input: { userId: string; maxAgeSeconds: number; ip?: string | null; userAgent?: string | null; amr?: readonly string[] }) {
      const now = new Date();
      return db.portalSession.create({
        data: {
          id: randomToken(24),
          // The OIDC sid: separate from the id, which the cookie names (see models.prisma).
          publicSid: randomToken(16),
          userId: input.userId,
          authTime: now,
          lastSeenAt: now,
          expiresAt: new Date(now.getTime() + input.maxAgeSeconds * 1000),
          ip: input.ip ?? null,
          userAgent: input.userAgent?.slice(0, 512) ?? null,
          amr: (input.amr ?? ["pwd"]).join(" "),
        },
      });
    },

    /**
     * A step-up on a live session (a second factor after the fact, e.g. for `acr_values`): the
     * session now counts as authenticated by `amr`, at `now` (OIDC auth_time). False when the
     * session is no longer live.
     */
    async stepUp(id: string, amr: readonly string[], now = new Date()): Promise<boolean> {
      const r = await db.portalSession.updateMany({
        where: { id, revokedAt: null, expiresAt: { gt: now } },
        data: { amr: amr.join(" "), authTime: now },
      });
      return r.count === 1;
    },

    /** The session row with its user row, or null when it is unknown, revoked, expired or the user
     * disabled (a user who must reset the password still has one). Refreshes `lastSeenAt`. */
    async findWithUser(id: string, now = new Date()) {
      const s = await db.portalSession.findUnique({ where: { id }, include: { user: true } });
      if (!s || s.revokedAt || s.expiresAt <= now || s.user.disabled) return null;
      if (now.getTime() - s.lastSeenAt.getTime() > TOUCH_AFTER_MS) {
        await db.portalSession.updateMany({ where: { id, revokedAt: null }, data: { lastSeenAt: now } });
      }
      return s;
    },

    revoke(id: string) {
      return db.portalSession.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } });
    },

    revokeAllForUser(userId: string) {
      return db.portalSession.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: new Date() } });
    },
  };
}
