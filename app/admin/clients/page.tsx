// Admin: every client with its owner, type and activity (access tokens in the last 24 h);
// suspend / resume in place, delete behind a typed confirmation.
import type { Metadata } from "next";
import Link from "next/link";
import { Alert, Field, formatUtc } from "@/components/ui";
import { AdminFrame } from "@/components/admin/admin-frame";
import { FilterForm } from "@/components/admin/filter-form";
import { Pager } from "@/components/admin/pager";
import { EmptyState } from "@/components/admin/empty-state";
import { ActionButton } from "@/components/admin/action-button";
import { Badge } from "@/components/admin/badge";
import { data } from "@/lib/runtime";
import { requireAdmin } from "@/lib/auth/session";
import { portalShellProps } from "@/app/_lib/portal-frame";
import { PAGE_SIZE, parseClientFilters } from "@/lib/admin/filters";
import { resumeClientAction, suspendClientAction, unverifyClientAction, verifyClientAction } from "./actions";

export const metadata: Metadata = { title: "Clients · Admin" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function AdminClientsPage({ searchParams }: Props) {
  const session = await requireAdmin();
  const params = await searchParams;
  const f = parseClientFilters(params);
  const page = await data().admin.listClients({ q: f.q, cursor: f.cursor, limit: PAGE_SIZE });
  return (
    <AdminFrame shell={portalShellProps(session)} section="clients" title="Clients" description="Every registered app. Suspending one refuses its requests at once.">
      {params.deleted === "1" ? <Alert tone="success">Client deleted, with its consents and tokens.</Alert> : null}
      <FilterForm action="/admin/clients" label="Search clients" active={Boolean(f.q)} submitLabel="Search">
        <Field label="Name or client ID" name="q" type="search" defaultValue={f.q} />
      </FilterForm>
      {page.rows.length === 0 ? (
        <EmptyState title={f.q ? "No clients match" : "No clients yet"} />
      ) : (
        <ul aria-label="Clients" className="divide-y divide-neutral-200 overflow-hidden rounded-xl border border-neutral-200 bg-white shadow-sm">
          {page.rows.map((c) => (
            <li key={c.id} className="flex flex-col gap-3 px-4 py-3 sm:flex-row sm:items-start sm:gap-4 sm:px-5">
              <div className="min-w-0 flex-1 text-sm">
                <p className="flex flex-wrap items-center gap-2">
                  <span className="font-medium text-neutral-900">{c.name}</span>
                  <Badge>{c.type}</Badge>
                  {c.suspended ? <Badge tone="red">suspended</Badge> : null}
                  {c.verified ? <Badge tone="green">verified</Badge> : <Badge tone="amber">unverified</Badge>}
                </p>
                <p className="font-mono text-xs break-all text-neutral-500">{c.clientId}</p>
                <p className="text-xs text-neutral-600">
                  Owner{" "}
                  {c.owner ? (
                    <Link href={`/admin/users/${c.owner.id}`} className="text-brand-700 hover:underline">
                      {c.owner.email}
                    </Link>
                  ) : (
                    "none"
                  )}{" "}
                  · via {c.registeredVia} · created {formatUtc(c.createdAt)}
                </p>
                <p className="text-xs text-neutral-700">
                  <span className="font-semibold tabular-nums">{c.tokens24h}</span> access {c.tokens24h === 1 ? "token" : "tokens"} in the last 24 h ·{" "}
                  <Link href={`/admin/grants?client=${encodeURIComponent(c.clientId)}`} className="text-brand-700 hover:underline">
                    Grants
                  </Link>
                </p>
              </div>
              <div className="flex flex-wrap items-start gap-2">
                {c.suspended ? (
                  <ActionButton action={resumeClientAction} fields={{ clientRowId: c.id }} label="Resume" ariaLabel={`Resume ${c.name}`} />
                ) : (
                  <ActionButton
                    action={suspendClientAction}
                    fields={{ clientRowId: c.id }}
                    label="Suspend"
                    ariaLabel={`Suspend ${c.name}`}
                    confirm={{
                      question: (
                        <>
                          Suspend <span className="font-semibold">{c.name}</span>? From now on it cannot sign anyone in or get tokens, until
                          you resume it. Its users&apos; consents stay, so resuming brings it back as it was.
                        </>
                      ),
                      yes: "Yes, suspend",
                    }}
                  />
                )}
                {c.verified ? (
                  <ActionButton action={unverifyClientAction} fields={{ clientRowId: c.id }} label="Mark unverified" ariaLabel={`Mark ${c.name} unverified`} />
                ) : (
                  <ActionButton action={verifyClientAction} fields={{ clientRowId: c.id }} label="Mark verified" ariaLabel={`Mark ${c.name} verified`} />
                )}
                <Link
                  href={`/admin/clients/${c.id}/delete`}
                  aria-label={`Delete ${c.name}`}
                  className="inline-flex h-8 items-center rounded-lg px-3 text-sm font-medium text-red-700 hover:bg-red-50"
                >
                  Delete…
                </Link>
              </div>
            </li>
          ))}
        </ul>
      )}
      <Pager basePath="/admin/clients" query={{ q: f.q }} next={page.next} isFirst={!f.cursor} />
    </AdminFrame>
  );
}
