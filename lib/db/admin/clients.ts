// Admin console: every client, with owner, type and activity; suspend, resume, delete.
import { clientChange } from "../protocol/client-cache";
import type { Db } from "../client";
import { audit } from "../audit";
import { revokeGrants } from "../grants";
import { afterCursor, NEWEST_FIRST, toPage, type Cursor, type Page } from "../../admin/cursor";
import { AdminRefusal, type Actor } from "./errors";

export interface ClientRow {
  id: string;
  clientId: string;
  name: string;
  type: "confidential" | "public";
  suspended: boolean;
  verified: boolean;
  registeredVia: string;
  owner: { id: string; email: string } | null;
  createdAt: Date;
  /** Access tokens issued in the last 24 hours. */
  tokens24h: number;
}

const DAY_MS = 86_400_000;

export async function listClients(
  db: Db,
  opts: { q?: string; cursor: Cursor | null; limit: number },
  now = new Date(),
): Promise<Page<ClientRow>> {
  const search = opts.q ? { OR: [{ name: { contains: opts.q } }, { clientId: { contains: opts.q } }] } : {};
  const rows = await db.client.findMany({
    // An API's own credentials client belongs to the API's page, not this list.
    where: { AND: [{ apiId: null }, search, afterCursor(opts.cursor)] },
    orderBy: NEWEST_FIRST,
    take: opts.limit + 1,
    select: {
      id: true,
      clientId: true,
      name: true,
      tokenEndpointAuthMethod: true,
      suspended: true,
      verified: true,
      registeredVia: true,
      createdAt: true,
      owner: { select: { id: true, email: true } },
    },
  });
  const page = toPage(rows, opts.limit);
  // One grouped count for the page, on the (clientId, createdAt) index.
  const counts = page.rows.length
    ? await db.accessToken.groupBy({
        by: ["clientId"],
        where: { clientId: { in: page.rows.map((r) => r.id) }, createdAt: { gt: new Date(now.getTime() - DAY_MS) } },
        _count: { _all: true },
      })
    : [];
  const byClient = new Map(counts.map((c) => [c.clientId, c._count._all]));
  return {
    next: page.next,
    rows: page.rows.map(({ tokenEndpointAuthMethod, ...r }) => ({
      ...r,
      type: tokenEndpointAuthMethod === "none" ? "public" : "confidential",
      tokens24h: byClient.get(r.id) ?? 0,
    })),
  };
}

/**
 * Suspends or resumes a client. The protocol checks Client.suspended on every request, so a
 * suspended client is refused at once (invalid_client at the token endpoint, unauthorized_client
 * at authorize); its tokens are not revoked (use "revoke all for client" for that).
 */
export async function setClientSuspended(db: Db, actor: Actor, clientRowId: string, suspended: boolean): Promise<void> {
  await clientChange(db.$transaction(async (tx) => {
    const c = await tx.client.findUnique({ where: { id: clientRowId }, select: { clientId: true, suspended: true } });
    if (!c) throw new AdminRefusal("No such client.");
    if (c.suspended === suspended) return;
    await tx.client.update({ where: { id: clientRowId }, data: { suspended } });
    await audit(tx, {
      type: suspended ? "client.suspended" : "client.resumed",
      actorId: actor.id,
      clientId: clientRowId,
      ip: actor.ip,
      data: { client_id: c.clientId },
    });
  }));
}

/**
 * Marks a client verified or not. The consent screen shows verified clients with a badge and
 * every other one with a warning that Latchkey has not checked who is behind it. Audited.
 */
export async function setClientVerified(db: Db, actor: Actor, clientRowId: string, verified: boolean): Promise<void> {
  await clientChange(db.$transaction(async (tx) => {
    const c = await tx.client.findUnique({ where: { id: clientRowId }, select: { clientId: true, verified: true } });
    if (!c) throw new AdminRefusal("No such client.");
    if (c.verified === verified) return;
    await tx.client.update({ where: { id: clientRowId }, data: { verified } });
    await audit(tx, {
      type: verified ? "client.verified" : "client.unverified",
      actorId: actor.id,
      clientId: clientRowId,
      ip: actor.ip,
      data: { client_id: c.clientId },
    });
  }));
}

/**
 * Deletes a client once the admin typed its exact name. Its grants are revoked first (so the
 * audit event says how many), then the row goes and consents, codes and tokens cascade with it.
 */
export async function deleteClient(db: Db, actor: Actor, clientRowId: string, typedName: string) {
  return clientChange(db.$transaction(async (tx) => {
    const c = await tx.client.findUnique({ where: { id: clientRowId }, select: { clientId: true, name: true, apiId: true } });
    if (!c) throw new AdminRefusal("No such client.");
    // Its API would be left without credentials: the API's deletion takes them along (lib/db/apis.ts).
    if (c.apiId) throw new AdminRefusal("These are an API's own credentials: delete the API instead.");
    if (typedName !== c.name) throw new AdminRefusal("The name you typed does not match the client's name.");
    const counts = await revokeGrants(tx, { clientId: clientRowId });
    await tx.client.delete({ where: { id: clientRowId } });
    await audit(tx, {
      type: "client.deleted",
      actorId: actor.id,
      clientId: clientRowId,
      ip: actor.ip,
      data: { client_id: c.clientId, name: c.name, ...counts },
    });
    return counts;
  }));
}

/** Name, client_id and row id of a client, by its client_id or row id (for headings, links). */
export function findClient(db: Db, by: { clientId: string } | { id: string }) {
  return db.client.findUnique({ where: by, select: { id: true, clientId: true, name: true, suspended: true } });
}
