// Admin console: the audit log, newest first, keyset-paginated on (createdAt, id). Filters by
// actor, subject (user id or email), client (client_id), event type and time range; each filter
// is an equality on the leading column of one of AuditEvent's indexes.
import type { Db } from "../client";
import { afterCursor, NEWEST_FIRST, toPage, type Cursor, type Page } from "../../admin/cursor";

export interface AuditQuery {
  actorId?: string;
  subjectId?: string;
  clientRowId?: string;
  type?: string;
  from?: Date;
  to?: Date;
  cursor: Cursor | null;
  limit: number;
}

export interface AuditRow {
  id: string;
  createdAt: Date;
  type: string;
  actorId: string | null;
  subjectId: string | null;
  clientId: string | null;
  ip: string | null;
  data: string | null;
}

export function auditWhere(q: Omit<AuditQuery, "limit">) {
  const createdAt = q.from || q.to ? { ...(q.from ? { gte: q.from } : {}), ...(q.to ? { lte: q.to } : {}) } : undefined;
  return {
    AND: [
      {
        ...(q.actorId ? { actorId: q.actorId } : {}),
        ...(q.subjectId ? { subjectId: q.subjectId } : {}),
        ...(q.clientRowId ? { clientId: q.clientRowId } : {}),
        ...(q.type ? { type: q.type } : {}),
        ...(createdAt ? { createdAt } : {}),
      },
      afterCursor(q.cursor),
    ],
  };
}

export async function listAudit(db: Db, q: AuditQuery): Promise<Page<AuditRow>> {
  const rows = await db.auditEvent.findMany({ where: auditWhere(q), orderBy: NEWEST_FIRST, take: q.limit + 1 });
  return toPage(rows, q.limit);
}

/** A user id from an id or an email; undefined when neither names a user (the filter then matches nothing). */
export async function resolveUserRef(db: Db, ref: string): Promise<string | undefined> {
  const u = ref.includes("@")
    ? await db.user.findUnique({ where: { email: ref.toLowerCase() }, select: { id: true } })
    : await db.user.findUnique({ where: { id: ref }, select: { id: true } });
  return u?.id;
}

export async function resolveClientRef(db: Db, clientId: string): Promise<string | undefined> {
  return (await db.client.findUnique({ where: { clientId }, select: { id: true } }))?.id;
}

/** Emails and client names for the ids on a page of events (to show who, not only an id). */
export async function auditLabels(db: Db, rows: AuditRow[]) {
  const userIds = [...new Set(rows.flatMap((r) => [r.actorId, r.subjectId]).filter((x): x is string => !!x))];
  const clientIds = [...new Set(rows.map((r) => r.clientId).filter((x): x is string => !!x))];
  const [users, clients] = await Promise.all([
    userIds.length ? db.user.findMany({ where: { id: { in: userIds } }, select: { id: true, email: true } }) : [],
    clientIds.length
      ? db.client.findMany({ where: { id: { in: clientIds } }, select: { id: true, clientId: true, name: true } })
      : [],
  ]);
  return {
    users: Object.fromEntries(users.map((u) => [u.id, u.email])) as Record<string, string>,
    clients: Object.fromEntries(clients.map((c) => [c.id, `${c.name} (${c.clientId})`])) as Record<string, string>,
  };
}
