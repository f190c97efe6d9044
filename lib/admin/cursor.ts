// Keyset pagination cursors on (createdAt, id), newest first. A cursor is the last row of the
// page before, encoded as opaque base64url JSON; a malformed cursor reads as "first page".
import { z } from "zod";
import { SAFE_ID } from "../oauth/text";

export interface Cursor {
  createdAt: Date;
  id: string;
}

const cursorSchema = z.object({ t: z.iso.datetime(), i: z.string().max(128).regex(SAFE_ID) });

export function encodeCursor(row: Cursor): string {
  return Buffer.from(JSON.stringify({ t: row.createdAt.toISOString(), i: row.id })).toString("base64url");
}

export function decodeCursor(raw: unknown): Cursor | null {
  if (typeof raw !== "string" || raw.length === 0 || raw.length > 400) return null;
  try {
    const parsed = cursorSchema.safeParse(JSON.parse(Buffer.from(raw, "base64url").toString("utf8")));
    return parsed.success ? { createdAt: new Date(parsed.data.t), id: parsed.data.i } : null;
  } catch {
    return null;
  }
}

/**
 * The Prisma `where` for rows strictly after `c` in (createdAt desc, id desc) order:
 * createdAt < c.createdAt OR (createdAt = c.createdAt AND id < c.id), written as
 * createdAt <= c.createdAt AND NOT (createdAt = c.createdAt AND id >= c.id): the same rows, but
 * with one range condition that SQLite and PostgreSQL start an index scan at (an OR keeps
 * SQLite's planner from it), so a deep page costs what the first page costs.
 */
export function afterCursor(c: Cursor | null) {
  if (!c) return {};
  return { createdAt: { lte: c.createdAt }, NOT: { createdAt: c.createdAt, id: { gte: c.id } } };
}

export const NEWEST_FIRST = [{ createdAt: "desc" as const }, { id: "desc" as const }];

export interface Page<T> {
  rows: T[];
  /** The cursor of the next page, or null on the last page. */
  next: string | null;
}

/** Given `limit + 1` rows fetched, the page of `limit` rows and the cursor after it. */
export function toPage<T extends Cursor>(rows: T[], limit: number): Page<T> {
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  const last = page.at(-1);
  return { rows: page, next: more && last ? encodeCursor(last) : null };
}
