// Admin: the audit log, newest first; filters by actor, subject, client, event type and time.
import type { Metadata } from "next";
import { Field } from "@/components/ui";
import { AdminFrame } from "@/components/admin/admin-frame";
import { FilterForm } from "@/components/admin/filter-form";
import { Pager } from "@/components/admin/pager";
import { EmptyState } from "@/components/admin/empty-state";
import { AuditEventItem } from "@/components/admin/audit-event";
import { data } from "@/lib/runtime";
import { requireAdmin } from "@/lib/auth/session";
import { portalShellProps } from "@/app/_lib/portal-frame";
import { KNOWN_EVENT_TYPES } from "@/lib/admin/event-types";
import { PAGE_SIZE, parseAuditFilters } from "@/lib/admin/filters";

export const metadata: Metadata = { title: "Audit log · Admin" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

// A filter naming nobody must find nothing: an id no row has (uuids have no spaces; no NUL, which PostgreSQL text refuses).
const NOBODY = "no such id";

export default async function AdminAuditPage({ searchParams }: Props) {
  const session = await requireAdmin();
  const raw = await searchParams;
  const f = parseAuditFilters(raw);
  const admin = data().admin;
  const [actorId, subjectId, clientRowId] = await Promise.all([
    f.actor ? admin.resolveUserRef(f.actor).then((id) => id ?? NOBODY) : undefined,
    f.subject ? admin.resolveUserRef(f.subject).then((id) => id ?? NOBODY) : undefined,
    f.client ? admin.resolveClientRef(f.client).then((id) => id ?? NOBODY) : undefined,
  ]);
  const page = await admin.listAudit({ actorId, subjectId, clientRowId, type: f.type, from: f.from, to: f.to, cursor: f.cursor, limit: PAGE_SIZE });
  const labels = await admin.auditLabels(page.rows);
  const text = (k: string) => (typeof raw[k] === "string" ? (raw[k] as string).slice(0, 320) : undefined);
  const query = { actor: text("actor"), subject: text("subject"), client: text("client"), type: f.type, from: text("from"), to: text("to") };
  const active = Object.values(query).some(Boolean);
  return (
    <AdminFrame shell={portalShellProps(session)} section="audit" title="Audit log" description="Every security-relevant change, newest first. Times are UTC. Events never hold a secret.">
      <FilterForm action="/admin/audit" label="Filter audit events" active={active} collapsible>
        <Field label="Actor (email or user id)" name="actor" type="search" defaultValue={query.actor} />
        <Field label="Subject (email or user id)" name="subject" type="search" defaultValue={query.subject} />
        <Field label="Client ID" name="client" type="search" defaultValue={query.client} placeholder="lk_…" />
        <Field label="Event type" name="type" type="search" list="audit-event-types" defaultValue={query.type} placeholder="user.disabled" />
        <Field label="From (UTC)" name="from" type="date" defaultValue={query.from} />
        <Field label="To (UTC)" name="to" type="date" defaultValue={query.to} />
        <datalist id="audit-event-types">
          {KNOWN_EVENT_TYPES.map((t) => (
            <option key={t} value={t} />
          ))}
        </datalist>
      </FilterForm>
      {page.rows.length === 0 ? (
        <EmptyState title={active ? "No events match" : "No events yet"} />
      ) : (
        <ol aria-label="Audit events" className="divide-y divide-neutral-200 overflow-hidden rounded-xl border border-neutral-200 bg-white shadow-sm">
          {page.rows.map((e) => (
            <AuditEventItem key={e.id} event={e} users={labels.users} clients={labels.clients} />
          ))}
        </ol>
      )}
      <Pager basePath="/admin/audit" query={query} next={page.next} isFirst={!f.cursor} />
    </AdminFrame>
  );
}
