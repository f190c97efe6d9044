// Passkeys (WebAuthn credentials) of portal users: list, add, find, rename, remove, and the one
// write after each use (signature counter and last use). The ceremonies themselves are in
// lib/auth/passkeys.ts; nothing stored here is secret (a credential id and a public key).
import type { Db } from "./client";
import { audit } from "./audit";

/** Passkeys one account may hold: enough for every device a person owns, bounded all the same. */
export const MAX_PASSKEYS_PER_USER = 25;
/** Longest passkey name kept (longer ones are cut). */
export const MAX_PASSKEY_NAME = 64;

export interface PasskeyRow {
  id: string;
  userId: string;
  name: string;
  publicKey: string;
  counter: number;
  transports: string[];
  deviceType: string;
  backedUp: boolean;
  createdAt: Date;
  lastUsedAt: Date | null;
}

export interface NewPasskey {
  id: string;
  userId: string;
  name: string;
  publicKey: string;
  counter: number;
  transports: readonly string[];
  deviceType: string;
  backedUp: boolean;
}

/** What a use of a passkey did to the stored counter (recordUse). */
export type UseResult = "ok" | "counter_not_increased" | "unknown";

type Stored = {
  id: string;
  userId: string;
  name: string;
  publicKey: string;
  counter: bigint;
  transports: string;
  deviceType: string;
  backedUp: boolean;
  createdAt: Date;
  lastUsedAt: Date | null;
};

const row = (p: Stored): PasskeyRow => ({
  ...p,
  counter: Number(p.counter),
  transports: p.transports ? p.transports.split(" ") : [],
});

/** A name as stored: trimmed, inner whitespace collapsed, at most MAX_PASSKEY_NAME characters. */
export function cleanPasskeyName(name: string): string {
  return name.replace(/\s+/g, " ").trim().slice(0, MAX_PASSKEY_NAME).trim();
}

export function passkeyStore(db: Db) {
  return {
    /** The user's passkeys, newest first. */
    async listByUser(userId: string): Promise<PasskeyRow[]> {
      const rows = await db.passkey.findMany({ where: { userId }, orderBy: [{ createdAt: "desc" }, { id: "asc" }] });
      return rows.map(row);
    },

    countByUser(userId: string): Promise<number> {
      return db.passkey.count({ where: { userId } });
    },

    /** By credential id (any user's: the usernameless sign-in finds the user this way). */
    async find(id: string): Promise<PasskeyRow | null> {
      const p = await db.passkey.findUnique({ where: { id } });
      return p ? row(p) : null;
    },

    /**
     * Stores a newly registered passkey with its `passkey.registered` event, in one transaction.
     * "exists": that credential is already registered (to anyone); "limit": the user has
     * MAX_PASSKEYS_PER_USER already.
     */
    async add(p: NewPasskey, actor: { ip?: string | null } = {}): Promise<"ok" | "exists" | "limit"> {
      return db.$transaction(async (tx) => {
        if (await tx.passkey.findUnique({ where: { id: p.id }, select: { id: true } })) return "exists";
        if ((await tx.passkey.count({ where: { userId: p.userId } })) >= MAX_PASSKEYS_PER_USER) return "limit";
        await tx.passkey.create({
          data: {
            id: p.id,
            userId: p.userId,
            name: cleanPasskeyName(p.name) || "Passkey",
            publicKey: p.publicKey,
            counter: BigInt(p.counter),
            transports: p.transports.join(" "),
            deviceType: p.deviceType,
            backedUp: p.backedUp,
          },
        });
        await audit(tx, {
          type: "passkey.registered",
          actorId: p.userId,
          subjectId: p.userId,
          ip: actor.ip,
          data: { passkey: p.id, deviceType: p.deviceType, backedUp: p.backedUp },
        });
        return "ok";
      });
    },

    /** Renames one of the user's own passkeys (audited); false when the user has no such passkey. */
    async rename(userId: string, id: string, name: string, actor: { ip?: string | null } = {}): Promise<boolean> {
      const clean = cleanPasskeyName(name);
      if (!clean) return false;
      return db.$transaction(async (tx) => {
        const r = await tx.passkey.updateMany({ where: { id, userId }, data: { name: clean } });
        if (r.count === 0) return false;
        await audit(tx, { type: "passkey.renamed", actorId: userId, subjectId: userId, ip: actor.ip, data: { passkey: id } });
        return true;
      });
    },

    /** Removes one of the user's own passkeys (audited); false when the user has no such passkey. */
    async remove(userId: string, id: string, actor: { ip?: string | null } = {}): Promise<boolean> {
      return db.$transaction(async (tx) => {
        const r = await tx.passkey.deleteMany({ where: { id, userId } });
        if (r.count === 0) return false;
        await audit(tx, { type: "passkey.removed", actorId: userId, subjectId: userId, ip: actor.ip, data: { passkey: id } });
        return true;
      });
    },

    /**
     * After a verified assertion: the new signature counter, the backup state and the time of
     * use, in one conditional UPDATE. W3C WebAuthn Level 2 §7.2 step 21 (Level 3 step 22): when
     * either the stored or the new counter is non-zero, the new one must be greater, else the
     * authenticator may have been cloned. Such a use is refused and audited
     * (`passkey.counter_rejected`). The condition is part of the UPDATE, so two uses racing with
     * the same counter cannot both pass. A counter of 0 on both sides is an authenticator that
     * keeps none (most synced passkeys): accepted.
     */
    async recordUse(
      id: string,
      use: { counter: number; backedUp: boolean; ip?: string | null },
      now = new Date(),
    ): Promise<UseResult> {
      const next = BigInt(use.counter);
      const where = next > 0n ? { id, counter: { lt: next } } : { id, counter: 0n };
      const r = await db.passkey.updateMany({ where, data: { counter: next, backedUp: use.backedUp, lastUsedAt: now } });
      if (r.count === 1) return "ok";
      const p = await db.passkey.findUnique({ where: { id }, select: { userId: true, counter: true } });
      if (!p) return "unknown";
      await audit(db, {
        type: "passkey.counter_rejected",
        subjectId: p.userId,
        ip: use.ip,
        data: { passkey: id, stored: Number(p.counter), received: use.counter },
      });
      return "counter_not_increased";
    },
  };
}
