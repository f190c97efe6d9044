// Consents: find runs on every authorization request (SQL); grant only when the user clicks
// Allow (Prisma, in a transaction with its audit event).
import type { Db } from "../client";
import type { Sql } from "./sql";
import type { Row } from "./rows";
import { audit } from "../audit";
import { isUniqueViolation } from "../errors";
import type { OAuthStores } from "../../oauth/types";
import { parseScope } from "../../oauth/scopes";

export function protocolConsents(db: Db, sql: Sql): OAuthStores["consents"] {
  return {
    async find(userId, clientId) {
      const c = await sql.one<Row>('SELECT "scopes", "revokedAt" FROM "Consent" WHERE "userId" = ? AND "clientId" = ?', [userId, clientId]);
      return c && c.revokedAt == null ? parseScope(String(c.scopes)) : null;
    },
    /**
     * Adds scopes to the consent. Two grants at once must not lose either's scopes: the update
     * only applies if the row is as read (its scopes and revocation unchanged), else it is read again;
     * two first grants at once meet the unique key, and the loser retries as an update.
     */
    async grant(userId, clientId, scopes) {
      const key = { userId_clientId: { userId, clientId } };
      for (let attempt = 0; ; attempt++) {
        try {
          const done = await db.$transaction(async (tx) => {
            const existing = await tx.consent.findUnique({ where: key });
            const kept = existing && !existing.revokedAt ? parseScope(existing.scopes) : [];
            const all = [...new Set([...kept, ...scopes])].join(" ");
            if (existing) {
              const r = await tx.consent.updateMany({
                where: { id: existing.id, scopes: existing.scopes, revokedAt: existing.revokedAt },
                data: { scopes: all, revokedAt: null },
              });
              if (r.count !== 1) return false;
            } else {
              await tx.consent.create({ data: { userId, clientId, scopes: all } });
            }
            await audit(tx, { type: "consent.granted", actorId: userId, subjectId: userId, clientId, data: { scope: scopes.join(" ") } });
            return true;
          });
          if (done) return;
        } catch (err) {
          if (!isUniqueViolation(err) || attempt >= 20) throw err;
        }
        if (attempt >= 20) throw new Error("consent update kept conflicting");
        // Spread the retries of concurrent grants so that they stop colliding.
        await new Promise((r) => setTimeout(r, Math.random() * 5 * (attempt + 1)));
      }
    },
  };
}
