// Using a verification link: the address it was sent to is the account's (verify), or becomes the
// account's (email_change: the change applies only now, when the new address proved it reads
// mail). One transaction each: the link used once (a conditional update), the user changed, audited.
import type { Db } from "./client";
import { audit } from "./audit";
import { isUniqueViolation } from "./errors";
import { consumeEmailToken, voidEmailTokens } from "./email-tokens";

export type VerificationResult =
  | { ok: true; kind: "verified"; userId: string; email: string }
  | { ok: true; kind: "changed"; userId: string; email: string; previousEmail: string }
  | { ok: false; reason: "invalid" | "taken" | "stale" };

export function emailVerificationStore(db: Db) {
  return {
    async applyLink(token: unknown, ctx: { ip?: string | null } = {}, now = new Date()): Promise<VerificationResult> {
      try {
        return await db.$transaction(async (tx): Promise<VerificationResult> => {
          const link = await consumeEmailToken(tx, token, ["verify", "email_change"], now);
          if (!link) return { ok: false, reason: "invalid" };
          const user = await tx.user.findUnique({ where: { id: link.userId }, select: { id: true, email: true } });
          if (!user) return { ok: false, reason: "invalid" };
          if (link.purpose === "verify") {
            // A link for an address the account no longer has proves nothing about the current one.
            if (user.email !== link.email) return { ok: false, reason: "stale" };
            await tx.user.update({ where: { id: user.id }, data: { emailVerified: true } });
            await audit(tx, { type: "user.email_verified", actorId: user.id, subjectId: user.id, ip: ctx.ip });
            return { ok: true, kind: "verified", userId: user.id, email: user.email };
          }
          await tx.user.update({ where: { id: user.id }, data: { email: link.email, emailVerified: true } });
          // Links sent to the old address (reset, verify) must not act on the account any more.
          await voidEmailTokens(tx, user.id, ["reset", "verify", "email_change"], now);
          await audit(tx, {
            type: "user.email_changed",
            actorId: user.id,
            subjectId: user.id,
            ip: ctx.ip,
            data: { previousEmail: user.email, email: link.email },
          });
          return { ok: true, kind: "changed", userId: user.id, email: link.email, previousEmail: user.email };
        });
      } catch (err) {
        // The new address was taken by another account since the link was sent: nothing changed
        // (the transaction rolled back, so the link was not used either).
        if (isUniqueViolation(err)) return { ok: false, reason: "taken" };
        throw err;
      }
    },
  };
}
