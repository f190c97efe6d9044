// Deleting one's own account (GDPR Art. 17, the right to erasure), in ONE transaction:
//  - the user row goes, and with it (onDelete: Cascade in prisma/models.prisma) every consent,
//    authorization code, refresh and access token, portal session, trusted device, passkey,
//    recovery code and email link of theirs; their TOTP secret is on the row itself;
//  - what has no foreign key to the user goes explicitly: their sign-in throttle counters (keyed
//    by their address, their id, their devices) and authorization requests parked in their
//    sessions;
//  - clients and APIs they registered stay, without an owner (ownerId: SetNull): other people
//    sign in to those apps, and deleting them would lock those people out. Admins still see and
//    manage them (admin console), and the confirmation page says so, so that a developer who
//    wants them gone deletes them first;
//  - audit events stay (security logs: GDPR Art. 6(1)(f) and recital 49, kept only for
//    AUDIT_RETENTION_DAYS, then purged), but lose the account's email addresses: every value in
//    their details equal to an address the account had is removed from the events about or by
//    the account. What remains is a random user id that nothing maps to a person any more, the
//    times, and the IP addresses (kept for the retention period, to investigate abuse).
//    Events not tied to the account (a failed sign-in naming the address before the account
//    existed) are not searched (that would read the whole log); they age out with the rest.
//  - `account.deleted` is written with the user id only (as actor and subject), the counts and
//    the caller's IP: no email, no name.
// Access tokens are JWTs and cannot be recalled, but their rows are gone, so introspection
// answers {active: false} and userinfo refuses them at once (lib/oauth/introspection.ts).
import type { Db, Tx } from "./client";
import { audit } from "./audit";
import { lockAdmins } from "./admin/users";
import { userKeys } from "./throttle";

/** The account is the portal's only admin: deleting it would leave nobody able to run the server. */
export class LastAdmin extends Error {
  constructor() {
    super("You are the only admin. Make someone else an admin before you delete your account.");
    this.name = "LastAdmin";
  }
}

/** What deleting the account removes (and keeps), for the confirmation page. */
export interface DeletionPreview {
  connectedApps: number;
  sessions: number;
  /** Live refresh and access tokens. */
  tokens: number;
  totp: boolean;
  passkeys: number;
  /** Unused recovery codes. */
  recoveryCodes: number;
  /** Clients and APIs the user registered: they stay, without an owner. */
  ownedClients: { id: string; name: string }[];
  ownedApis: { id: string; name: string }[];
  /** True when the user is the only enabled admin: deletion is refused. */
  lastAdmin: boolean;
}

/** What was removed, in the `account.deleted` audit event. */
export interface DeletionReport {
  consents: number;
  sessions: number;
  codes: number;
  refreshTokens: number;
  accessTokens: number;
  devices: number;
  passkeys: number;
  recoveryCodes: number;
  emailTokens: number;
  totp: boolean;
  throttleCounters: number;
  pendingRequests: number;
  clientsKept: number;
  apisKept: number;
  auditEventsScrubbed: number;
}

const ERASED_KEYS_MARK = "erased";

async function otherAdmins(tx: Tx, userId: string): Promise<number> {
  return tx.user.count({ where: { role: "admin", disabled: false, id: { not: userId } } });
}

/**
 * Removes the account's email addresses from the details of the audit events about it (subject)
 * or by it (actor). The addresses: its current one and every `email`/`previousEmail` recorded in
 * events about it (address changes, failed sign-ins). Returns how many events changed.
 */
export async function scrubAuditEvents(tx: Tx, user: { id: string; email: string }): Promise<number> {
  const events = await tx.auditEvent.findMany({
    where: { OR: [{ subjectId: user.id }, { actorId: user.id }], data: { contains: "@" } },
    select: { id: true, subjectId: true, data: true },
  });
  const parsed = events.map((e) => ({ ...e, details: parseDetails(e.data) }));
  const addresses = new Set([user.email.toLowerCase()]);
  for (const e of parsed) {
    if (e.subjectId !== user.id || !e.details) continue;
    for (const key of ["email", "previousEmail"]) {
      const v = e.details[key];
      if (typeof v === "string" && v.includes("@")) addresses.add(v.trim().toLowerCase());
    }
  }
  let changed = 0;
  for (const e of parsed) {
    if (!e.details) continue;
    const erased = Object.keys(e.details).filter((k) => {
      const v = e.details?.[k];
      return typeof v === "string" && addresses.has(v.trim().toLowerCase());
    });
    if (erased.length === 0) continue;
    const kept = Object.fromEntries(Object.entries(e.details).filter(([k]) => !erased.includes(k)));
    await tx.auditEvent.update({ where: { id: e.id }, data: { data: JSON.stringify({ ...kept, [ERASED_KEYS_MARK]: erased.join(" ") }) } });
    changed++;
  }
  return changed;
}

function parseDetails(data: string | null): Record<string, unknown> | null {
  if (!data) return null;
  try {
    const v: unknown = JSON.parse(data);
    return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export function accountDeletionStore(db: Db) {
  return {
    async preview(userId: string, now = new Date()): Promise<DeletionPreview> {
      const [user, connectedApps, sessions, refresh, access, passkeys, recoveryCodes, ownedClients, ownedApis] = await Promise.all([
        db.user.findUniqueOrThrow({ where: { id: userId }, select: { role: true, disabled: true, totpEnabledAt: true } }),
        db.consent.count({ where: { userId, revokedAt: null } }),
        db.portalSession.count({ where: { userId, revokedAt: null, expiresAt: { gt: now } } }),
        db.refreshToken.count({ where: { userId, revokedAt: null, rotatedAt: null, expiresAt: { gt: now } } }),
        db.accessToken.count({ where: { userId, revokedAt: null, expiresAt: { gt: now } } }),
        db.passkey.count({ where: { userId } }),
        db.recoveryCode.count({ where: { userId, usedAt: null } }),
        // An API's own credentials client is shown as the API, not as a client.
        db.client.findMany({ where: { ownerId: userId, apiId: null }, select: { id: true, name: true }, orderBy: { name: "asc" } }),
        db.api.findMany({ where: { ownerId: userId }, select: { id: true, name: true }, orderBy: { name: "asc" } }),
      ]);
      const lastAdmin = user.role === "admin" && !user.disabled && (await otherAdmins(db, userId)) === 0;
      return {
        connectedApps,
        sessions,
        tokens: refresh + access,
        totp: user.totpEnabledAt !== null,
        passkeys,
        recoveryCodes,
        ownedClients,
        ownedApis,
        lastAdmin,
      };
    },

    /**
     * Deletes the account (see the top of this file). Throws LastAdmin, changing nothing, when it
     * is the only enabled admin. Returns null when the user no longer exists (deleted twice).
     */
    async remove(userId: string, ctx: { ip?: string | null } = {}): Promise<DeletionReport | null> {
      return db.$transaction(async (tx) => {
        const user = await tx.user.findUnique({ where: { id: userId }, select: { id: true, email: true, role: true, totpEnabledAt: true } });
        if (!user) return null;
        if (user.role === "admin") {
          // As when an admin is demoted or disabled (lib/db/admin/users.ts): lock the admin rows
          // first, so two admins deleting themselves at once cannot both pass the check.
          await lockAdmins(tx);
          if ((await otherAdmins(tx, userId)) === 0) throw new LastAdmin();
        }
        const w = { where: { userId } };
        const [consents, sessionRows, codes, refreshTokens, accessTokens, devices, passkeys, recoveryCodes, emailTokens, clientsKept, apisKept] =
          await Promise.all([
            tx.consent.count(w),
            tx.portalSession.findMany({ ...w, select: { id: true } }),
            tx.authorizationCode.count(w),
            tx.refreshToken.count(w),
            tx.accessToken.count(w),
            tx.trustedDevice.count(w),
            tx.passkey.count(w),
            tx.recoveryCode.count(w),
            tx.emailToken.count(w),
            tx.client.count({ where: { ownerId: userId, apiId: null } }),
            tx.api.count({ where: { ownerId: userId } }),
          ]);
        const throttle = await tx.loginThrottle.deleteMany({ where: { key: { in: await userKeys(tx, user) } } });
        const requests = sessionRows.length
          ? await tx.authorizationRequest.deleteMany({ where: { sessionId: { in: sessionRows.map((s) => s.id) } } })
          : { count: 0 };
        const auditEventsScrubbed = await scrubAuditEvents(tx, user);
        await tx.user.delete({ where: { id: userId } });
        const report: DeletionReport = {
          consents,
          sessions: sessionRows.length,
          codes,
          refreshTokens,
          accessTokens,
          devices,
          passkeys,
          recoveryCodes,
          emailTokens,
          totp: user.totpEnabledAt !== null,
          throttleCounters: throttle.count,
          pendingRequests: requests.count,
          clientsKept,
          apisKept,
          auditEventsScrubbed,
        };
        // The user id only: no email, no name (see the top of this file).
        await audit(tx, { type: "account.deleted", actorId: userId, subjectId: userId, ip: ctx.ip, data: { ...report, role: user.role } });
        return report;
      });
    },
  };
}
