// Second factors in the database: the TOTP secret (sealed; lib/auth/totp.ts) and its last used
// step, recovery codes (SHA-256; lib/auth/recovery-codes.ts), and what a user has. Every
// single-use step is one atomic conditional UPDATE whose row count decides (DESIGN.md), never a
// read followed by a write.
import type { Db, Tx } from "./client";
import { audit } from "./audit";

export interface MfaActor {
  actorId: string | null;
  ip?: string | null;
}

async function replaceRecoveryCodes(tx: Tx, userId: string, hashes: readonly string[]): Promise<void> {
  await tx.recoveryCode.deleteMany({ where: { userId } });
  await tx.recoveryCode.createMany({ data: hashes.map((codeHash) => ({ userId, codeHash })) });
}

export function mfaStore(db: Db) {
  return {
    /** What the user has: TOTP confirmed, passkeys, recovery codes left. */
    async factors(userId: string) {
      const [user, passkeys, recoveryCodesLeft] = await Promise.all([
        db.user.findUnique({ where: { id: userId }, select: { totpEnabledAt: true } }),
        db.passkey.count({ where: { userId } }),
        db.recoveryCode.count({ where: { userId, usedAt: null } }),
      ]);
      return { totp: Boolean(user?.totpEnabledAt), totpEnabledAt: user?.totpEnabledAt ?? null, passkeys, recoveryCodesLeft };
    },

    /** The sealed TOTP secret and whether it is confirmed, or null when none is set. */
    async totpSecret(userId: string): Promise<{ sealed: string; enabled: boolean } | null> {
      const u = await db.user.findUnique({ where: { id: userId }, select: { totpSecretEnc: true, totpEnabledAt: true } });
      return u?.totpSecretEnc ? { sealed: u.totpSecretEnc, enabled: u.totpEnabledAt !== null } : null;
    },

    /**
     * Enrolment confirmed by a first code at `step`: the sealed secret stored, TOTP on, that step
     * used, the recovery codes replaced by new ones, in one transaction; audited
     * `mfa.totp_enrolled`. False when TOTP is already on (another tab finished first).
     */
    async enableTotp(userId: string, input: { sealed: string; step: number; recoveryCodeHashes: readonly string[] }, actor: MfaActor): Promise<boolean> {
      return db.$transaction(async (tx) => {
        const r = await tx.user.updateMany({
          where: { id: userId, totpEnabledAt: null },
          data: { totpSecretEnc: input.sealed, totpEnabledAt: new Date(), totpLastStep: input.step },
        });
        if (r.count !== 1) return false;
        await replaceRecoveryCodes(tx, userId, input.recoveryCodeHashes);
        await audit(tx, { type: "mfa.totp_enrolled", actorId: actor.actorId, subjectId: userId, ip: actor.ip, data: { recoveryCodes: input.recoveryCodeHashes.length } });
        return true;
      });
    },

    /**
     * A code matched `step`: accepted only when the step is later than the last accepted one
     * (RFC 6238 §5.2: "the verifier MUST NOT accept the second attempt of the OTP after the
     * successful validation has been issued for the first OTP"). One atomic UPDATE; of parallel
     * uses of one code exactly one wins.
     */
    async acceptTotpStep(userId: string, step: number): Promise<boolean> {
      const r = await db.user.updateMany({
        where: { id: userId, totpEnabledAt: { not: null }, OR: [{ totpLastStep: null }, { totpLastStep: { lt: step } }] },
        data: { totpLastStep: step },
      });
      return r.count === 1;
    },

    /** Turns TOTP off; the recovery codes go too unless a passkey remains. Audited `mfa.totp_removed`. */
    async disableTotp(userId: string, actor: MfaActor): Promise<boolean> {
      return db.$transaction(async (tx) => {
        const r = await tx.user.updateMany({ where: { id: userId, totpSecretEnc: { not: null } }, data: { totpSecretEnc: null, totpEnabledAt: null, totpLastStep: null } });
        if (r.count !== 1) return false;
        if ((await tx.passkey.count({ where: { userId } })) === 0) await tx.recoveryCode.deleteMany({ where: { userId } });
        await audit(tx, { type: "mfa.totp_removed", actorId: actor.actorId, subjectId: userId, ip: actor.ip });
        return true;
      });
    },

    /** New recovery codes replace all the old ones (used or not); audited `mfa.recovery_codes_generated`. */
    async replaceRecoveryCodes(userId: string, hashes: readonly string[], actor: MfaActor): Promise<void> {
      await db.$transaction(async (tx) => {
        await replaceRecoveryCodes(tx, userId, hashes);
        await audit(tx, { type: "mfa.recovery_codes_generated", actorId: actor.actorId, subjectId: userId, ip: actor.ip, data: { count: hashes.length } });
      });
    },

    /** Uses one recovery code: one atomic UPDATE … WHERE usedAt IS NULL; true for the one use that wins. */
    async consumeRecoveryCode(userId: string, codeHash: string): Promise<boolean> {
      const r = await db.recoveryCode.updateMany({ where: { userId, codeHash, usedAt: null }, data: { usedAt: new Date() } });
      return r.count === 1;
    },

    /**
     * An admin's "Reset second factors": TOTP, recovery codes and passkeys removed at once, audited
     * `mfa.reset_by_admin`. Sessions stay; the next sign-in follows the MFA policy.
     */
    async resetAll(userId: string, actor: MfaActor): Promise<{ totp: boolean; recoveryCodes: number; passkeys: number }> {
      return db.$transaction(async (tx) => {
        const t = await tx.user.updateMany({ where: { id: userId, totpSecretEnc: { not: null } }, data: { totpSecretEnc: null, totpEnabledAt: null, totpLastStep: null } });
        const rc = await tx.recoveryCode.deleteMany({ where: { userId } });
        const pk = await tx.passkey.deleteMany({ where: { userId } });
        const removed = { totp: t.count === 1, recoveryCodes: rc.count, passkeys: pk.count };
        await audit(tx, { type: "mfa.reset_by_admin", actorId: actor.actorId, subjectId: userId, ip: actor.ip, data: removed });
        return removed;
      });
    },

    /**
     * Counts one code attempt of a pending sign-in (by its id), before the code is checked; returns
     * this attempt's number. The row is a LoginThrottle counter locked until the state expires, so
     * the purge keeps it that long and drops it after.
     */
    async countPendingAttempt(pendingId: string, expiresAt: Date, now = new Date()): Promise<number> {
      const key = `mfa-pending:${pendingId}`;
      const row = await db.loginThrottle.upsert({
        where: { key },
        create: { key, failures: 1, firstFailureAt: now, lastFailureAt: now, lockedUntil: expiresAt },
        update: { failures: { increment: 1 }, lastFailureAt: now },
      });
      return row.failures;
    },
  };
}
