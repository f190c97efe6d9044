// Admin: active grants (consents) with live token counts, filtered by user email and client_id.
// With a client chosen, "Revoke all for this client" leads to the preview-and-confirm page.
import type { Metadata } from "next";
import Link from "next/link";
import { Card, Field, buttonClassName, formatUtc } from "@/components/ui";
import { AdminFrame } from "@/components/admin/admin-frame";
import { FilterForm } from "@/components/admin/filter-form";
import { Pager } from "@/components/admin/pager";
import { EmptyState } from "@/components/admin/empty-state";
import { ActionButton } from "@/components/admin/action-button";
import { data } from "@/lib/runtime";
import { requireAdmin } from "@/lib/auth/session";
import { portalShellProps } from "@/app/_lib/portal-frame";
import { PAGE_SIZE, parseGrantFilters } from "@/lib/admin/filters";
import { revokeGrantAction } from "./actions";

export const metadata: Metadata = { title: "Grants · Admin" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function AdminGrantsPage({ searchParams }: Props) {
  const session = await requireAdmin();
  const f = parseGrantFilters(await searchParams);
  const page = await data().admin.listGrants({ userEmail: f.user, clientId: f.client, cursor: f.cursor, limit: PAGE_SIZE });
  const client = f.client ? await data().admin.findClient({ clientId: f.client }) : null;
  return (
    <AdminFrame
      shell={portalShellProps(session)}
      section="grants"
      title="Grants"
      description="What users have allowed apps to do, with the tokens live now."
    >
      <FilterForm action="/admin/grants" label="Filter grants" active={Boolean(f.user || f.client)}>
        <Field label="User email" name="user" type="search" defaultValue={f.user} placeholder="ada@example.com" />
        <Field label="Client ID" name="client" type="search" defaultValue={f.client} placeholder="lk_…" />
      </FilterForm>

      {f.client && client ? (
        <Card title="Incident response" description={`Revoke every consent, code and token of ${client.name} at once. You will see what will be revoked before anything happens.`}>
          <Link href={`/admin/grants/revoke-all?client=${encodeURIComponent(f.client)}`} className={buttonClassName({ variant: "danger", size: "sm" })}>
            Revoke all for this client…
          </Link>
        </Card>
      ) : null}

      {page.rows.length === 0 ? (
        <EmptyState title={f.user || f.client ? "No active grants match" : "No active grants"}>
          {f.client && !client
            ? "No client has this client ID."
            : f.user || f.client
              ? "Nothing is allowed for this filter right now."
              : "When users allow an app, the grant shows here until it is revoked."}
        </EmptyState>
      ) : (
        <ul aria-label="Grants" className="divide-y divide-neutral-200 overflow-hidden rounded-xl border border-neutral-200 bg-white shadow-sm">
          {page.rows.map((g) => (
            <li key={g.id} className="flex flex-col gap-3 px-4 py-3 sm:flex-row sm:items-center sm:gap-4 sm:px-5">
              <div className="min-w-0 flex-1 text-sm">
                <p>
                  <Link href={`/admin/users/${g.user.id}`} className="font-medium break-all text-brand-700 hover:underline">
                    {g.user.email}
                  </Link>
                  <span className="text-neutral-500"> → </span>
                  <Link href={`/admin/grants?client=${encodeURIComponent(g.client.clientId)}`} className="font-medium text-neutral-900 hover:underline">
                    {g.client.name}
                  </Link>
                </p>
                <p className="font-mono text-xs break-all text-neutral-500">{g.client.clientId}</p>
                <p className="text-xs text-neutral-600">
                  {g.scopes} · allowed {formatUtc(g.createdAt)} · last used {formatUtc(g.lastUsedAt)}
                </p>
                <p className="text-xs text-neutral-700">
                  Live now: {g.liveAccessTokens} access, {g.liveRefreshTokens} refresh
                </p>
              </div>
              <ActionButton
                action={revokeGrantAction}
                fields={{ userId: g.user.id, clientRowId: g.client.id }}
                label="Revoke"
                ariaLabel={`Revoke ${g.user.email} → ${g.client.name}`}
                variant="danger"
                confirm={{
                  question: (
                    <>
                      Revoke <span className="font-semibold">{g.client.name}</span>&apos;s access to {g.user.email}? Its consent, {g.liveRefreshTokens}{" "}
                      refresh and {g.liveAccessTokens} access tokens end at once; the app must ask again.
                    </>
                  ),
                  yes: "Yes, revoke",
                }}
              />
            </li>
          ))}
        </ul>
      )}
      <Pager basePath="/admin/grants" query={{ user: f.user, client: f.client }} next={page.next} isFirst={!f.cursor} />
    </AdminFrame>
  );
}
