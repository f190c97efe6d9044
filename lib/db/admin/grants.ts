// Admin console: active grants (consents) with live token counts; revoke one, or every grant of
// a client (incident response: preview, confirm, report). Revocation itself is lib/db/grants.ts.
import type { Db } from "../client";
import { audit } from "../audit";
import { previewRevocation, revokeGrants, type GrantCounts } from "../grants";
import { afterCursor, NEWEST_FIRST, toPage, type Cursor, type Page } from "../../admin/cursor";
import { AdminRefusal, type Actor } from "./errors";
import { apisNamedInScopes } from "../apis";
import { parseScope } from "../../oauth/scopes";
import { scopeSummary } from "../../oauth/scope-groups";

export interface GrantRow {
  id: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  /** For people: API scopes under their API's name, never `<identifier>\\<scope>` (scopeSummary). */
  scopes: string;
  user: { id: string; email: string };
  client: { id: string; clientId: string; name: string };
  liveAccessTokens: number;
  liveRefreshTokens: number;
}

export async function listGrants(
  db: Db,
  opts: { userEmail?: string; clientId?: string; cursor: Cursor | null; limit: number },
  now = new Date(),
): Promise<Page<GrantRow>> {
  const rows = await db.consent.findMany({
    where: {
      AND: [
        { revokedAt: null },
        opts.userEmail ? { user: { email: opts.userEmail } } : {},
        opts.clientId ? { client: { clientId: opts.clientId } } : {},
        afterCursor(opts.cursor),
      ],
    },
    orderBy: NEWEST_FIRST,
    take: opts.limit + 1,
    select: {
      id: true,
      createdAt: true,
      lastUsedAt: true,
      scopes: true,
      userId: true,
      clientId: true,
      user: { select: { id: true, email: true } },
      client: { select: { id: true, clientId: true, name: true } },
    },
  });
  const page = toPage(rows, opts.limit);
  const pairs = page.rows.map((r) => ({ userId: r.userId, clientId: r.clientId }));
  const [access, refresh] = pairs.length
    ? await Promise.all([
        db.accessToken.groupBy({
          by: ["userId", "clientId"],
          where: { OR: pairs, revokedAt: null, expiresAt: { gt: now } },
          _count: { _all: true },
        }),
        db.refreshToken.groupBy({
          by: ["userId", "clientId"],
          where: { OR: pairs, revokedAt: null, rotatedAt: null, expiresAt: { gt: now } },
          _count: { _all: true },
        }),
      ])
    : [[], []];
  const apis = await apisNamedInScopes(db, page.rows.flatMap((row) => parseScope(row.scopes)));
  const key = (u: string | null, c: string) => `${u ?? ""} ${c}`;
  const a = new Map(access.map((g) => [key(g.userId, g.clientId), g._count._all]));
  const r = new Map(refresh.map((g) => [key(g.userId, g.clientId), g._count._all]));
  return {
    next: page.next,
    rows: page.rows.map(({ userId, clientId, ...row }) => ({
      ...row,
      scopes: scopeSummary(parseScope(row.scopes), apis),
      liveAccessTokens: a.get(key(userId, clientId)) ?? 0,
      liveRefreshTokens: r.get(key(userId, clientId)) ?? 0,
    })),
  };
}

/** Revokes what one user gave one client; audit `grants.revoked`. */
export async function revokeGrant(db: Db, actor: Actor, userId: string, clientRowId: string): Promise<GrantCounts> {
  return db.$transaction(async (tx) => {
    const c = await tx.client.findUnique({ where: { id: clientRowId }, select: { clientId: true } });
    const u = await tx.user.findUnique({ where: { id: userId }, select: { id: true } });
    if (!c || !u) throw new AdminRefusal("No such grant.");
    const counts = await revokeGrants(tx, { userId, clientId: clientRowId });
    await audit(tx, {
      type: "grants.revoked",
      actorId: actor.id,
      subjectId: userId,
      clientId: clientRowId,
      ip: actor.ip,
      data: { client_id: c.clientId, ...counts },
    });
    return counts;
  });
}

/** The client (by client_id) and what "revoke all" would revoke now. */
export async function previewRevokeAllForClient(db: Db, clientId: string) {
  const client = await db.client.findUnique({ where: { clientId }, select: { id: true, clientId: true, name: true } });
  if (!client) return null;
  return { client, counts: await previewRevocation(db, { clientId: client.id }) };
}

/** Incident response: every grant of the client, in one transaction with `grants.revoked_all`. */
export async function revokeAllForClient(db: Db, actor: Actor, clientRowId: string): Promise<GrantCounts> {
  return db.$transaction(async (tx) => {
    const c = await tx.client.findUnique({ where: { id: clientRowId }, select: { clientId: true } });
    if (!c) throw new AdminRefusal("No such client.");
    const counts = await revokeGrants(tx, { clientId: clientRowId });
    await audit(tx, {
      type: "grants.revoked_all",
      actorId: actor.id,
      clientId: clientRowId,
      ip: actor.ip,
      data: { client_id: c.clientId, ...counts },
    });
    return counts;
  });
}
