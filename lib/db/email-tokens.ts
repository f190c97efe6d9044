// Links sent by email (password reset, address verification, email change, invitation): a random
// 256-bit token in the link, only its SHA-256 stored (a database reader cannot use a live link),
// bound to one user and purpose, short-lived and good once.
//
// - issue: a newer link of the same purpose voids the user's older unused ones (so only the last
//   mail works);
// - consume: ONE conditional UPDATE … WHERE usedAt IS NULL AND expiresAt > now AND purpose = …,
//   whose count decides: of N parallel uses exactly one wins (DESIGN.md "count first");
// - voidAll: a password change voids every reset link (OWASP Forgot Password Cheat Sheet).
import type { Db, Tx } from "./client";
import { randomToken, sha256 } from "../crypto/tokens";

export const EMAIL_TOKEN_PURPOSES = ["reset", "verify", "email_change", "invite"] as const;
export type EmailTokenPurpose = (typeof EMAIL_TOKEN_PURPOSES)[number];

export interface EmailTokenRow {
  id: string;
  userId: string;
  purpose: string;
  email: string;
  expiresAt: Date;
}

const SELECT = { id: true, userId: true, purpose: true, email: true, expiresAt: true } as const;

/** At most this many characters are looked at: a token is 43 (32 bytes, base64url). */
const MAX_TOKEN_LENGTH = 128;

function hashOf(token: unknown): string | null {
  return typeof token === "string" && token.length > 0 && token.length <= MAX_TOKEN_LENGTH ? sha256(token) : null;
}

/** Uses the link once, in the caller's transaction: the row, or null (unknown, used, expired, other purpose). */
export async function consumeEmailToken(tx: Tx, token: unknown, purposes: EmailTokenPurpose[], now = new Date()): Promise<EmailTokenRow | null> {
  const tokenHash = hashOf(token);
  if (!tokenHash) return null;
  const r = await tx.emailToken.updateMany({
    where: { tokenHash, purpose: { in: purposes }, usedAt: null, expiresAt: { gt: now } },
    data: { usedAt: now },
  });
  if (r.count !== 1) return null;
  return tx.emailToken.findUnique({ where: { tokenHash }, select: SELECT });
}

/** Voids the user's unused links of these purposes (in the caller's transaction). Returns how many. */
export async function voidEmailTokens(tx: Tx, userId: string, purposes: readonly EmailTokenPurpose[], now = new Date()): Promise<number> {
  const r = await tx.emailToken.updateMany({ where: { userId, purpose: { in: [...purposes] }, usedAt: null }, data: { usedAt: now } });
  return r.count;
}

export function emailTokenStore(db: Db) {
  return {
    /** A new link for the user (older unused ones of the purpose are voided). Returns the token, shown only in the mail. */
    async issue(userId: string, purpose: EmailTokenPurpose, email: string, ttlSeconds: number, now = new Date()): Promise<{ token: string; id: string; expiresAt: Date }> {
      const token = randomToken(32);
      const expiresAt = new Date(now.getTime() + ttlSeconds * 1000);
      const row = await db.$transaction(async (tx) => {
        await voidEmailTokens(tx, userId, [purpose], now);
        return tx.emailToken.create({ data: { tokenHash: sha256(token), purpose, userId, email: email.trim().toLowerCase(), expiresAt, createdAt: now } });
      });
      return { token, id: row.id, expiresAt };
    },

    /** Uses the link once (see consumeEmailToken). */
    consume(token: unknown, purposes: EmailTokenPurpose[], now = new Date()): Promise<EmailTokenRow | null> {
      return consumeEmailToken(db, token, purposes, now);
    },

    /** Whether the link would work now (read only: for the page that shows the form). */
    async peek(token: unknown, purposes: EmailTokenPurpose[], now = new Date()): Promise<EmailTokenRow | null> {
      const tokenHash = hashOf(token);
      if (!tokenHash) return null;
      return db.emailToken.findFirst({ where: { tokenHash, purpose: { in: purposes }, usedAt: null, expiresAt: { gt: now } }, select: SELECT });
    },

    /** Voids one link (its mail could not be sent). */
    async revoke(id: string, now = new Date()): Promise<void> {
      await db.emailToken.updateMany({ where: { id, usedAt: null }, data: { usedAt: now } });
    },

    voidAll(userId: string, purposes: readonly EmailTokenPurpose[], now = new Date()): Promise<number> {
      return voidEmailTokens(db, userId, purposes, now);
    },
  };
}

