// Trusted devices ("device cookies", OWASP Authentication Cheat Sheet / "Slow Brute Force
// Attack" guidance; Keycloak and Auth0 do the same): a browser that has signed in to an account
// with its password gets a random token in a cookie; only its SHA-256 is stored. The token is
// 256 bits of randomness, so a plain hash (no password hash) is enough, and a lookup by hash is
// a constant-time match by construction (no comparison of the secret itself).
import type { Db, Tx } from "./client";
import { randomToken, sha256 } from "../crypto/tokens";

/** How long a device stays trusted after its last successful sign-in. */
export const DEVICE_TTL_SECONDS = 180 * 86_400;

const hashOf = (token: string) => sha256(`device:${token}`);

export function deviceStore(db: Db) {
  return {
    /** The trusted device this token stands for, or null (unknown, revoked or expired). */
    async find(token: string, now = new Date()): Promise<{ id: string; userId: string } | null> {
      const d = await db.trustedDevice.findUnique({
        where: { tokenHash: hashOf(token) },
        select: { id: true, userId: true, expiresAt: true, revokedAt: true },
      });
      if (!d || d.revokedAt || d.expiresAt <= now) return null;
      return { id: d.id, userId: d.userId };
    },

    /** Trusts a new device for the user; returns the token for its cookie (shown only here). */
    async issue(userId: string, now = new Date()): Promise<{ id: string; token: string }> {
      const token = randomToken(32);
      const d = await db.trustedDevice.create({
        data: { userId, tokenHash: hashOf(token), createdAt: now, lastUsedAt: now, expiresAt: new Date(now.getTime() + DEVICE_TTL_SECONDS * 1000) },
      });
      return { id: d.id, token };
    },

    /** After another successful sign-in from the device: it stays trusted for another full term. */
    async touch(id: string, now = new Date()): Promise<void> {
      await db.trustedDevice.updateMany({
        where: { id, revokedAt: null },
        data: { lastUsedAt: now, expiresAt: new Date(now.getTime() + DEVICE_TTL_SECONDS * 1000) },
      });
    },

    /** The ids of the user's devices (to clear their counters on unlock). */
    async idsOf(userId: string): Promise<string[]> {
      return (await db.trustedDevice.findMany({ where: { userId }, select: { id: true } })).map((d) => d.id);
    },
  };
}

/**
 * Forgets every trusted device of the user (a password change, a forced reset, disabling): a
 * browser trusted under the old password may be someone else's. Call inside the transaction
 * that writes the audit event. Returns how many were revoked.
 */
export async function revokeDevices(tx: Tx, userId: string, now = new Date()): Promise<number> {
  const r = await tx.trustedDevice.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: now } });
  return r.count;
}
