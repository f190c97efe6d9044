// Admin: users. Search by email or name; keyset pages on (createdAt, id), newest first.
import type { Metadata } from "next";
import Link from "next/link";
import { Card, Field, formatUtc } from "@/components/ui";
import { InviteForm } from "@/components/admin/invite-form";
import { inviteUserAction } from "./actions";
import { AdminFrame } from "@/components/admin/admin-frame";
import { FilterForm } from "@/components/admin/filter-form";
import { Pager } from "@/components/admin/pager";
import { EmptyState } from "@/components/admin/empty-state";
import { UserBadges } from "@/components/admin/user-badges";
import { data } from "@/lib/runtime";
import { requireAdmin } from "@/lib/auth/session";
import { portalShellProps } from "@/app/_lib/portal-frame";
import { PAGE_SIZE, parseUserFilters } from "@/lib/admin/filters";

export const metadata: Metadata = { title: "Users · Admin" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function AdminUsersPage({ searchParams }: Props) {
  const session = await requireAdmin();
  const f = parseUserFilters(await searchParams);
  const page = await data().admin.listUsers({ q: f.q, cursor: f.cursor, limit: PAGE_SIZE });
  return (
    <AdminFrame shell={portalShellProps(session)} section="users" title="Users" description="Everyone with an account. Open a user to see their apps and sessions, or to disable them.">
      <Card title="Invite a user" description="Creates the account and emails them a link to choose their password.">
        <InviteForm action={inviteUserAction} />
      </Card>
      <FilterForm action="/admin/users" label="Search users" active={Boolean(f.q)} submitLabel="Search">
        <Field label="Email or name" name="q" type="search" defaultValue={f.q} placeholder="ada@example.com" />
      </FilterForm>
      {page.rows.length === 0 ? (
        <EmptyState title={f.q ? "No users match" : "No users yet"}>
          {f.q ? "Try part of the email address, or clear the search." : null}
        </EmptyState>
      ) : (
        <ul aria-label="Users" className="divide-y divide-neutral-200 overflow-hidden rounded-xl border border-neutral-200 bg-white shadow-sm">
          {page.rows.map((u) => (
            <li key={u.id} className="flex flex-col gap-1 px-4 py-3 sm:flex-row sm:items-center sm:gap-4 sm:px-5">
              <div className="min-w-0 flex-1">
                <Link href={`/admin/users/${u.id}`} className="font-medium break-all text-brand-700 hover:underline">
                  {u.email}
                </Link>
                <p className="text-sm text-neutral-600">{u.name ?? <span className="text-neutral-400">No name</span>}</p>
              </div>
              <div className="flex flex-wrap items-center gap-2">
                <UserBadges user={u} />
              </div>
              <p className="text-xs text-neutral-500 sm:w-56 sm:text-right sm:whitespace-nowrap">Joined {formatUtc(u.createdAt)}</p>
            </li>
          ))}
        </ul>
      )}
      <Pager basePath="/admin/users" query={{ q: f.q }} next={page.next} isFirst={!f.cursor} />
    </AdminFrame>
  );
}
