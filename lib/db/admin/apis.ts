// Admin console: every API with its owner, scopes and which clients may ask for it.
import type { Db } from "../client";
import { apiScopesOf } from "../apis";
import { afterCursor, NEWEST_FIRST, toPage, type Cursor, type Page } from "../../admin/cursor";

export interface ApiRow {
  id: string;
  name: string;
  identifier: string;
  scopes: string[];
  /** null: every client may ask for it; else how many chosen clients. */
  allowedClients: number | null;
  owner: { id: string; email: string } | null;
  /** The API's own credentials (introspection): its client_id. */
  clientId: string | null;
  createdAt: Date;
}

export async function listApis(db: Db, opts: { q?: string; cursor: Cursor | null; limit: number }): Promise<Page<ApiRow>> {
  const search = opts.q ? { OR: [{ name: { contains: opts.q } }, { identifier: { contains: opts.q } }] } : {};
  const rows = await db.api.findMany({
    where: { AND: [search, afterCursor(opts.cursor)] },
    orderBy: NEWEST_FIRST,
    take: opts.limit + 1,
    select: {
      id: true,
      name: true,
      identifier: true,
      scopes: true,
      allClients: true,
      allowedClientIds: true,
      createdAt: true,
      owner: { select: { id: true, email: true } },
      credentials: { select: { clientId: true } },
    },
  });
  const page = toPage(rows, opts.limit);
  return {
    next: page.next,
    rows: page.rows.map((r) => ({
      id: r.id,
      name: r.name,
      identifier: r.identifier,
      scopes: apiScopesOf(r.scopes).map((s) => s.name),
      allowedClients: r.allClients ? null : (JSON.parse(r.allowedClientIds) as string[]).length,
      owner: r.owner,
      clientId: r.credentials?.clientId ?? null,
      createdAt: r.createdAt,
    })),
  };
}
