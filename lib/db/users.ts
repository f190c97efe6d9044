// Users: creation, lookup, enabling/disabling. Emails are stored lower-cased.
import type { Db } from "./client";
import { audit } from "./audit";
import { revokeGrants } from "./grants";
import { isUniqueViolation } from "./errors";
import { unlockSignIn } from "./throttle";
import type { Role } from "../auth/roles";

export class EmailTaken extends Error {
  constructor(email: string) {
    super(`A user with email ${email} already exists.`);
  }
}

export interface NewUser {
  email: string;
  name?: string | null;
  passwordHash: string;
  role?: Role;
  emailVerified?: boolean;
  /** Must choose a new password at the next sign-in (e.g. a generated first admin). */
  mustResetPassword?: boolean;
}

export function userStore(db: Db) {
  return {
    async create(input: NewUser, actor: { actorId?: string | null; ip?: string | null } = {}) {
      const email = input.email.trim().toLowerCase();
      try {
        return await db.$transaction(async (tx) => {
          const user = await tx.user.create({
            data: {
              email,
              name: input.name?.trim() || null,
              passwordHash: input.passwordHash,
              role: input.role ?? "user",
              emailVerified: input.emailVerified ?? false,
              mustResetPassword: input.mustResetPassword ?? false,
            },
          });
          await audit(tx, {
            type: "user.created",
            actorId: actor.actorId ?? user.id,
            subjectId: user.id,
            ip: actor.ip,
            data: { role: user.role },
          });
          return user;
        });
      } catch (err) {
        if (isUniqueViolation(err)) throw new EmailTaken(email);
        throw err;
      }
    },

    findByEmail(email: string) {
      return db.user.findUnique({ where: { email: email.trim().toLowerCase() } });
    },

    findById(id: string) {
      return db.user.findUnique({ where: { id } });
    },

    countAdmins() {
      return db.user.count({ where: { role: "admin" } });
    },

    /** Clears the user's sign-in locks (the CLI's `user unlock`); audited as `user.unlocked`. */
    async unlock(userId: string, actorId: string | null = null) {
      return db.$transaction(async (tx) => {
        const user = await tx.user.findUniqueOrThrow({ where: { id: userId }, select: { id: true, email: true } });
        return { counters: await unlockSignIn(tx, user, { id: actorId }) };
      });
    },

    /** Disabling ends every session of the user at once. */
    async setDisabled(userId: string, disabled: boolean, actorId: string | null = null) {
      return db.$transaction(async (tx) => {
        const user = await tx.user.update({ where: { id: userId }, data: { disabled } });
        let revoked: Record<string, number> = {};
        if (disabled) {
          await tx.portalSession.updateMany({
            where: { userId, revokedAt: null },
            data: { revokedAt: new Date() },
          });
          // As the admin console does: a disabled user's tokens stop working at once.
          revoked = { ...(await revokeGrants(tx, { userId })) };
        }
        await audit(tx, { type: disabled ? "user.disabled" : "user.enabled", actorId, subjectId: userId, ...(disabled ? { data: revoked } : {}) });
        return user;
      });
    },
  };
}
