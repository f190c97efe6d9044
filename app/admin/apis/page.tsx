// Admin: every API with its owner, scopes and clients; delete after confirming.
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
import { plural } from "../_lib/actor";
import { deleteApiAction } from "./actions";

export const metadata: Metadata = { title: "APIs · Admin" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function AdminApisPage({ searchParams }: Props) {
  const session = await requireAdmin();
  // The same filters as the clients list: a search text and a cursor.
  const params = await searchParams;
  const f = parseClientFilters(params);
  const page = await data().admin.listApis({ q: f.q, cursor: f.cursor, limit: PAGE_SIZE });
  return (
    <AdminFrame
      shell={portalShellProps(session)}
      section="apis"
      title="APIs"
      description="Every protected resource. Deleting one stops new tokens for it at once."
    >
      {params.deleted === "1" ? <Alert tone="success">API deleted: apps can no longer get tokens for it.</Alert> : null}
      <FilterForm action="/admin/apis" label="Search APIs" active={Boolean(f.q)} submitLabel="Search">
        <Field label="Name or identifier" name="q" type="search" defaultValue={f.q} />
      </FilterForm>
      {page.rows.length === 0 ? (
        <EmptyState title={f.q ? "No APIs match" : "No APIs yet"}>
          {f.q ? null : "Developers create them in the dashboard, or you with the CLI (api create)."}
        </EmptyState>
      ) : (
        <ul aria-label="APIs" className="divide-y divide-neutral-200 overflow-hidden rounded-xl border border-neutral-200 bg-white shadow-sm">
          {page.rows.map((a) => (
            <li key={a.id} className="flex flex-col gap-3 px-4 py-3 sm:flex-row sm:items-start sm:gap-4 sm:px-5">
              <div className="min-w-0 flex-1 text-sm">
                <p className="flex flex-wrap items-center gap-2">
                  <Link href={`/dashboard/apis/${a.id}`} className="font-medium text-brand-700 hover:underline">
                    {a.name}
                  </Link>
                  <Badge>{plural(a.scopes.length, "scope")}</Badge>
                  {a.allowedClients === null ? <Badge>every client</Badge> : <Badge tone="amber">{plural(a.allowedClients, "chosen client")}</Badge>}
                </p>
                <p className="font-mono text-xs break-all text-neutral-500">{a.identifier}</p>
                <p className="text-xs text-neutral-600">
                  Owner{" "}
                  {a.owner ? (
                    <Link href={`/admin/users/${a.owner.id}`} className="text-brand-700 hover:underline">
                      {a.owner.email}
                    </Link>
                  ) : (
                    "none"
                  )}{" "}
                  · created {formatUtc(a.createdAt)}
                  {a.clientId ? (
                    <>
                      {" "}
                      · credentials <span className="font-mono break-all">{a.clientId}</span>
                    </>
                  ) : null}
                </p>
              </div>
              <div className="flex flex-wrap items-start gap-2">
                <ActionButton
                  action={deleteApiAction}
                  fields={{ apiId: a.id }}
                  label="Delete"
                  variant="danger"
                  ariaLabel={`Delete ${a.name}`}
                  confirm={{
                    question: (
                      <>
                        Delete <span className="font-semibold">{a.name}</span>? Apps can no longer get tokens for it and its credentials stop
                        working. This cannot be undone.
                      </>
                    ),
                    yes: "Yes, delete",
                  }}
                />
              </div>
            </li>
          ))}
        </ul>
      )}
      <Pager basePath="/admin/apis" query={{ q: f.q }} next={page.next} isFirst={!f.cursor} />
    </AdminFrame>
  );
}
