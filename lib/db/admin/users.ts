// Admin console: users. Lists page by keyset on (createdAt, id); every change writes its audit
// event in the same transaction.
import type { Db, Tx } from "../client";
import { audit } from "../audit";
import { revokeGrants, type GrantCounts } from "../grants";
import { signInLockStatus, unlockSignIn } from "../throttle";
import { revokeDevices } from "../devices";
import { afterCursor, NEWEST_FIRST, toPage, type Cursor, type Page } from "../../admin/cursor";
import type { Role } from "../../auth/roles";
import { sha256 } from "../../crypto/tokens";
import { AdminRefusal, type Actor } from "./errors";
import { hasPassword } from "../../auth/password";
import { apisNamedInScopes } from "../apis";
import { parseScope } from "../../oauth/scopes";
import { scopeSummary } from "../../oauth/scope-groups";

export interface UserRow {
  id: string;
  email: string;
  name: string | null;
  role: string;
  disabled: boolean;
  mustResetPassword: boolean;
  createdAt: Date;
}

const USER_ROW = {
  id: true,
  email: true,
  name: true,
  role: true,
  disabled: true,
  mustResetPassword: true,
  createdAt: true,
} as const;

/** Email (stored lower-cased) or name contains `q`. */
function searchWhere(q: string | undefined) {
  if (!q) return {};
  return { OR: [{ email: { contains: q.toLowerCase() } }, { name: { contains: q } }] };
}

export async function listUsers(
  db: Db,
  opts: { q?: string; cursor: Cursor | null; limit: number },
): Promise<Page<UserRow>> {
  const rows = await db.user.findMany({
    where: { AND: [searchWhere(opts.q), afterCursor(opts.cursor)] },
    orderBy: NEWEST_FIRST,
    take: opts.limit + 1,
    select: USER_ROW,
  });
  return toPage(rows, opts.limit);
}

/** One user with their active consents and active portal sessions. */
export async function userDetail(db: Db, id: string, now = new Date()) {
  const user = await db.user.findUnique({ where: { id }, select: USER_ROW });
  if (!user) return null;
  const [consents, sessions] = await Promise.all([
    db.consent.findMany({
      where: { userId: id, revokedAt: null },
      orderBy: { createdAt: "desc" },
      take: 100,
      select: {
        id: true,
        scopes: true,
        createdAt: true,
        lastUsedAt: true,
        client: { select: { id: true, clientId: true, name: true } },
      },
    }),
    db.portalSession.findMany({
      where: { userId: id, revokedAt: null, expiresAt: { gt: now } },
      orderBy: { lastSeenAt: "desc" },
      take: 100,
      select: { id: true, createdAt: true, lastSeenAt: true, expiresAt: true, ip: true, userAgent: true },
    }),
  ]);
  // The session id is what the cookie carries: never hand it to a page; a label derived from
  // its hash tells sessions apart.
  const signIn = await signInLockStatus(db, user, now);
  // Invited and has not chosen a password yet (lib/auth/password.ts NO_PASSWORD).
  const { passwordHash } = await db.user.findUniqueOrThrow({ where: { id }, select: { passwordHash: true } });
  const apis = await apisNamedInScopes(db, consents.flatMap((c) => parseScope(c.scopes)));
  return {
    user,
    signIn,
    invitePending: !hasPassword(passwordHash),
    // API scopes under their API's name, not `<identifier>\\<scope>` (scopeSummary).
    consents: consents.map((c) => ({ ...c, scopes: scopeSummary(parseScope(c.scopes), apis) })),
    sessions: sessions.map(({ id: sid, ...s }) => ({ ...s, label: sha256(sid).slice(0, 8) })),
  };
}

/**
 * Before a change that could remove an admin (demoting or disabling one): the action checked its
 * caller's role before the transaction, so two admins demoting or disabling each other (at once,
 * or one just after the other) could otherwise leave nobody able to run the server. Lock every
 * admin row first (a no-op write: PostgreSQL row locks, so a second such change waits for the
 * first and then sees it; SQLite has one writer anyway), then check after the change that an
 * enabled admin remains. (The no-op write also refreshes the admins' updatedAt.)
 */
export async function lockAdmins(tx: Tx) {
  await tx.user.updateMany({ where: { role: "admin" }, data: { role: "admin" } });
}

async function assertAnAdminRemains(tx: Tx) {
  const admins = await tx.user.count({ where: { role: "admin", disabled: false } });
  if (admins === 0) throw new AdminRefusal("This would leave no admin: make someone else an admin first.");
}

async function requireUserRow(tx: Tx, id: string) {
  const u = await tx.user.findUnique({ where: { id }, select: { id: true, role: true, disabled: true } });
  if (!u) throw new AdminRefusal("No such user.");
  return u;
}

export interface DisableReport {
  sessions: number;
  consents: number;
  codes: number;
  refreshTokens: number;
  accessTokens: number;
}

/**
 * Disables a user: their portal sessions end and every consent, code and token of theirs is
 * revoked, in one transaction with the `user.disabled` event (counts in its data).
 */
export async function disableUser(db: Db, actor: Actor, userId: string): Promise<DisableReport> {
  if (actor.id === userId) throw new AdminRefusal("You cannot disable your own account.");
  return db.$transaction(async (tx) => {
    const target = await requireUserRow(tx, userId);
    if (target.role === "admin") await lockAdmins(tx);
    const now = new Date();
    await tx.user.update({ where: { id: userId }, data: { disabled: true } });
    if (target.role === "admin") await assertAnAdminRemains(tx);
    const sessions = await tx.portalSession.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: now } });
    const grants = await revokeGrants(tx, { userId }, now);
    const report = { sessions: sessions.count, ...grants };
    await audit(tx, { type: "user.disabled", actorId: actor.id, subjectId: userId, ip: actor.ip, data: { ...report } });
    return report;
  });
}

export async function enableUser(db: Db, actor: Actor, userId: string): Promise<void> {
  await db.$transaction(async (tx) => {
    await requireUserRow(tx, userId);
    await tx.user.update({ where: { id: userId }, data: { disabled: false } });
    await audit(tx, { type: "user.enabled", actorId: actor.id, subjectId: userId, ip: actor.ip });
  });
}

/** Changes a user's role. An admin cannot change their own (so cannot demote themselves). */
export async function setUserRole(db: Db, actor: Actor, userId: string, role: Role): Promise<void> {
  if (actor.id === userId) throw new AdminRefusal("You cannot change your own role.");
  await db.$transaction(async (tx) => {
    const u = await requireUserRow(tx, userId);
    if (u.role === role) return;
    if (u.role === "admin") await lockAdmins(tx);
    await tx.user.update({ where: { id: userId }, data: { role } });
    if (u.role === "admin") await assertAnAdminRemains(tx);
    await audit(tx, {
      type: "user.role_changed",
      actorId: actor.id,
      subjectId: userId,
      ip: actor.ip,
      data: { from: u.role, to: role },
    });
  });
}

/**
 * Makes the user choose a new password at next sign-in, ends their sessions now and revokes
 * every grant of theirs (consents, codes, refresh and access tokens), as disabling does: a reset
 * is forced when the password may be known to someone else, who may have connected apps with it
 * and whose browser may be trusted (lib/db/devices.ts): those devices are forgotten too.
 */
export async function forcePasswordReset(
  db: Db,
  actor: Actor,
  userId: string,
): Promise<{ sessions: number; devices: number } & GrantCounts> {
  return db.$transaction(async (tx) => {
    await requireUserRow(tx, userId);
    const now = new Date();
    await tx.user.update({ where: { id: userId }, data: { mustResetPassword: true } });
    const s = await tx.portalSession.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: now } });
    const grants = await revokeGrants(tx, { userId }, now);
    const report = { sessions: s.count, ...grants, devices: await revokeDevices(tx, userId, now) };
    await audit(tx, {
      type: "user.password_reset_forced",
      actorId: actor.id,
      subjectId: userId,
      ip: actor.ip,
      data: { ...report },
    });
    return report;
  });
}

/**
 * Lets the user sign in again at once: clears the failed-attempt counters and locks of their
 * account (lib/db/throttle.ts unlockSignIn), audited as `user.unlocked` in the same transaction.
 */
export async function unlockUser(db: Db, actor: Actor, userId: string): Promise<{ counters: number }> {
  return db.$transaction(async (tx) => {
    const u = await tx.user.findUnique({ where: { id: userId }, select: { id: true, email: true } });
    if (!u) throw new AdminRefusal("No such user.");
    return { counters: await unlockSignIn(tx, u, actor) };
  });
}
