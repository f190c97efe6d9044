// Setting a password through an emailed link (forgot password, an admin's forced reset, an
// invitation): in ONE transaction the link is used (a conditional update: used once, not expired,
// right purpose), the password set, the admin's "must reset" cleared, every portal session ended,
// every grant (consents, codes, refresh and access tokens) revoked and every trusted browser
// forgotten, as a password change does (lib/db/account.ts changePassword; OWASP Forgot Password
// Cheat Sheet: "invalidate existing sessions"), the account's sign-in lock cleared (the user
// proved they own the address) and the address marked verified, with its audit event.
import type { Db } from "./client";
import { audit } from "./audit";
import { revokeGrants } from "./grants";
import { revokeDevices } from "./devices";
import { consumeEmailToken, voidEmailTokens, type EmailTokenPurpose } from "./email-tokens";

export type PasswordLinkPurpose = Extract<EmailTokenPurpose, "reset" | "invite">;

export interface PasswordLinkUsed {
  userId: string;
  email: string;
  purpose: PasswordLinkPurpose;
  sessionsEnded: number;
}

export function recoveryStore(db: Db) {
  return {
    /** null when the link is unknown, used, expired or of another purpose: then nothing changed. */
    async setPasswordWithLink(
      token: unknown,
      purposes: PasswordLinkPurpose[],
      passwordHash: string,
      ctx: { ip?: string | null } = {},
      now = new Date(),
    ): Promise<PasswordLinkUsed | null> {
      return db.$transaction(async (tx) => {
        const link = await consumeEmailToken(tx, token, purposes, now);
        if (!link) return null;
        const user = await tx.user.findUnique({ where: { id: link.userId }, select: { id: true, email: true } });
        if (!user) return null;
        // Reading the mail proves the address only if it is still the account's.
        const verified = user.email === link.email;
        await tx.user.update({
          where: { id: user.id },
          data: { passwordHash, mustResetPassword: false, ...(verified ? { emailVerified: true } : {}) },
        });
        const sessions = await tx.portalSession.updateMany({ where: { userId: user.id, revokedAt: null }, data: { revokedAt: now } });
        const grants = await revokeGrants(tx, { userId: user.id }, now);
        const devices = await revokeDevices(tx, user.id, now);
        // Every other reset or invitation link of the user is void now (a newer password).
        await voidEmailTokens(tx, user.id, ["reset", "invite"], now);
        // The account's sign-in lock and the password re-entry counter (lib/db/throttle.ts).
        const unlocked = await tx.loginThrottle.deleteMany({ where: { key: { in: [`email:${user.email}`, `password-change:${user.id}`] } } });
        const purpose = link.purpose as PasswordLinkPurpose;
        await audit(tx, {
          type: purpose === "invite" ? "user.invite_accepted" : "password.reset",
          actorId: user.id,
          subjectId: user.id,
          ip: ctx.ip,
          data: { sessionsEnded: sessions.count, ...grants, devices, unlocked: unlocked.count, emailVerified: verified },
        });
        return { userId: user.id, email: user.email, purpose, sessionsEnded: sessions.count };
      });
    },
  };
}

