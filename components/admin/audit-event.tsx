// One audit event: when, what, who (emails where known), and its data as pretty JSON.
import type { AuditRow } from "@/lib/db/admin/audit-log";
import { Badge } from "./badge";
import { formatUtcSeconds } from "@/components/ui";

function pretty(data: string | null): string | null {
  if (!data) return null;
  try {
    return JSON.stringify(JSON.parse(data), null, 2);
  } catch {
    return data;
  }
}

export function AuditEventItem({ event, users, clients }: {
  event: AuditRow;
  users: Record<string, string>;
  clients: Record<string, string>;
}) {
  const who = (id: string | null) => (id ? users[id] ?? id : null);
  const data = pretty(event.data);
  const rows: [string, string | null][] = [
    ["Actor", who(event.actorId)],
    ["Subject", who(event.subjectId)],
    ["Client", event.clientId ? clients[event.clientId] ?? event.clientId : null],
    ["IP", event.ip],
  ];
  return (
    <li className="grid gap-2 px-4 py-3 sm:grid-cols-[minmax(0,2fr)_minmax(0,3fr)] sm:gap-x-6 sm:px-5">
      <div className="flex flex-col gap-2">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <Badge tone="brand">{event.type}</Badge>
          <time dateTime={event.createdAt.toISOString()} className="text-xs text-neutral-500 tabular-nums">
            {formatUtcSeconds(event.createdAt)}
          </time>
        </div>
        <dl className="grid grid-cols-[4.5rem_1fr] gap-x-3 gap-y-0.5 text-xs">
          {rows
            .filter(([, v]) => v)
            .map(([k, v]) => (
              <div key={k} className="contents">
                <dt className="text-neutral-500">{k}</dt>
                <dd className="break-all text-neutral-800">{v}</dd>
              </div>
            ))}
        </dl>
      </div>
      {data ? (
        <pre className="overflow-x-auto rounded-lg bg-neutral-50 p-3 font-mono text-xs text-neutral-800 sm:self-start">{data}</pre>
      ) : null}
    </li>
  );
}
