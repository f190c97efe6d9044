// Signing keys: one active key per algorithm; rotation retires the previous one in the same
// transaction, so there is never a moment without an active key.
// This is the store the key ring (lib/keys/keyring.ts) is given: lib/keys never imports lib/db.
import type { Db } from "./client";
import { audit } from "./audit";
import type { NewSigningKey } from "../keys/generate";

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

    /**
     * Retires one key (it stays published for the retention period). An active key may be
     * retired only while another active key of the same algorithm remains: there is never a
     * moment without a signing key. Returns the retired row, or a reason it was refused.
     */
    async retire(kid: string, actorId: string | null = null): Promise<RetireResult> {
      return db.$transaction(async (tx) => {
        const key = await tx.signingKey.findUnique({ where: { kid } });
        if (!key) return { ok: false, reason: "not_found" } as const;
        if (key.state !== "active") return { ok: false, reason: "already_retired" } as const;
        // Lock every active key of the algorithm first (a no-op write takes the row locks on
        // PostgreSQL; SQLite has one writer anyway), so two retirements at once cannot each see
        // the other's key as the one that remains.
        await tx.signingKey.updateMany({ where: { alg: key.alg, state: "active" }, data: { state: "active" } });
        const now = new Date();
        const r = await tx.signingKey.updateMany({ where: { kid, state: "active" }, data: { state: "retired", retiredAt: now } });
        if (r.count === 0) return { ok: false, reason: "already_retired" } as const;
        const remaining = await tx.signingKey.count({ where: { alg: key.alg, state: "active" } });
        if (remaining === 0) throw new LastActiveKey(key.alg);
        await audit(tx, { type: "key.retired", actorId, data: { kid, alg: key.alg } });
        return { ok: true, key: { ...key, state: "retired", retiredAt: now } } as const;
      }).catch((err: unknown) => {
        if (err instanceof LastActiveKey) return { ok: false, reason: "last_active" } as const;
        throw err;
      });
    },
  };
}

/** Thrown inside the transaction to roll it back when the key is the last active one of its alg. */
class LastActiveKey extends Error {
  constructor(alg: string) {
    super(`the last active ${alg} key cannot be retired`);
  }
}

export type RetireResult =
  | { ok: true; key: { kid: string; alg: string; state: string; retiredAt: Date | null } }
  | { ok: false; reason: "not_found" | "already_retired" | "last_active" };
