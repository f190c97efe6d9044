// Query-string filters of the admin lists, parsed once (zod). Bad values are dropped, not
// errors: a list page always renders.
import { z } from "zod";
import { decodeCursor, type Cursor } from "./cursor";

export const PAGE_SIZE = 25;

type Params = Record<string, string | string[] | undefined>;

function one(p: Params, key: string): string | undefined {
  const v = p[key];
  const s = Array.isArray(v) ? v[0] : v;
  const t = s?.trim();
  return t ? t : undefined;
}

// No control characters: NUL is not valid PostgreSQL text (the query would fail, not match nothing).
const text = (max: number) => z.string().max(max).regex(/^[^\u0000-\u001f\u007f]*$/).optional().catch(undefined);

export interface UserFilters {
  q?: string;
  cursor: Cursor | null;
}

export function parseUserFilters(p: Params): UserFilters {
  return { q: text(200).parse(one(p, "q")), cursor: decodeCursor(one(p, "cursor")) };
}

export interface GrantFilters {
  user?: string; // email
  client?: string; // client_id
  cursor: Cursor | null;
}

export function parseGrantFilters(p: Params): GrantFilters {
  return {
    user: text(320).parse(one(p, "user"))?.toLowerCase(),
    client: text(200).parse(one(p, "client")),
    cursor: decodeCursor(one(p, "cursor")),
  };
}

export interface ClientFilters {
  q?: string;
  cursor: Cursor | null;
}

export function parseClientFilters(p: Params): ClientFilters {
  return { q: text(200).parse(one(p, "q")), cursor: decodeCursor(one(p, "cursor")) };
}

export interface AuditFilters {
  actor?: string; // email or user id
  subject?: string; // email or user id
  client?: string; // client_id
  type?: string;
  from?: Date;
  to?: Date;
  cursor: Cursor | null;
}

const EVENT_TYPE = /^[a-z0-9_.]{1,64}$/;

/** `YYYY-MM-DD` or `YYYY-MM-DDTHH:mm` (datetime-local), read as UTC. */
function parseTime(raw: string | undefined, endOfDay: boolean): Date | undefined {
  if (!raw) return undefined;
  const m = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2}(?::\d{2})?))?$/.exec(raw);
  if (!m) return undefined;
  const time = m[2] ?? (endOfDay ? "23:59:59.999" : "00:00:00");
  const d = new Date(`${m[1]}T${time}Z`);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

export function parseAuditFilters(p: Params): AuditFilters {
  const type = one(p, "type");
  return {
    actor: text(320).parse(one(p, "actor")),
    subject: text(320).parse(one(p, "subject")),
    client: text(200).parse(one(p, "client")),
    type: type && EVENT_TYPE.test(type) ? type : undefined,
    from: parseTime(one(p, "from"), false),
    to: parseTime(one(p, "to"), true),
    cursor: decodeCursor(one(p, "cursor")),
  };
}

/** The query string of `filters` (without the cursor) plus `extra`, for links. */
export function queryString(values: Record<string, string | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(values)) if (v) q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : "";
}
