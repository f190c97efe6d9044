// Signing keys: one active key per algorithm; rotation retires the previous one in the same
// transaction, so there is never a moment without an active key.
import type { Db } from "./client";
import { audit } from "./audit";

export interface NewSigningKey {
  kid: string;
  alg: string;
  publicJwk: string;
  privateKeyEnc: string;
}

export function keyStore(db: Db) {
  return {
    list() {
      return db.signingKey.findMany({ orderBy: [{ createdAt: "desc" }, { kid: "asc" }] });
    },

    /** Active keys, and keys retired after `retiredSince` (still published so that tokens they signed verify). */
    published(retiredSince: Date) {
      return db.signingKey.findMany({
        where: { OR: [{ state: "active" }, { state: "retired", retiredAt: { gt: retiredSince } }] },
        orderBy: [{ createdAt: "desc" }, { kid: "asc" }],
      });
    },

    async rotate(key: NewSigningKey, actorId: string | null = null) {
      return db.$transaction(async (tx) => {
        const now = new Date();
        const retired = await tx.signingKey.updateMany({
          where: { alg: key.alg, state: "active" },
          data: { state: "retired", retiredAt: now },
        });
        const created = await tx.signingKey.create({ data: { ...key, state: "active", createdAt: now } });
        await audit(tx, { type: "key.rotated", actorId, data: { kid: key.kid, alg: key.alg, retired: retired.count } });
        return created;
      });
    },
  };
}
