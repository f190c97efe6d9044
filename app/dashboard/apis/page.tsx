// /dashboard/apis: the signed-in developer's APIs (an admin's: every API).
import type { Metadata } from "next";
import Link from "next/link";
import { Alert, buttonClassName } from "@/components/ui";
import { PortalShell } from "@/components/portal/portal-shell";
import { ApiList, type ApiListItem } from "@/components/dashboard/api-list";
import { DashboardTabs } from "@/components/dashboard/dashboard-tabs";
import { data } from "@/lib/runtime";
import { requireDashboardUser } from "@/lib/auth/session";
import { portalShellProps } from "@/app/_lib/portal-frame";
import { isAdmin } from "@/lib/auth/roles";

export const metadata: Metadata = { title: "Your APIs" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const clientsWords = (allClients: boolean, chosen: number) =>
  allClients ? "Every client" : chosen === 1 ? "1 chosen client" : `${chosen} chosen clients`;

/** Admins see every API; this many at most on the page (the admin console pages through all). */
const ADMIN_LIMIT = 200;

export default async function ApisPage({ searchParams }: Props) {
  const session = await requireDashboardUser("/dashboard/apis");
  const admin = isAdmin(session.user);
  const params = await searchParams;
  let items: ApiListItem[];
  if (admin) {
    const page = await data().admin.listApis({ cursor: null, limit: ADMIN_LIMIT });
    items = page.rows.map((a) => ({
      id: a.id,
      name: a.name,
      identifier: a.identifier,
      scopes: a.scopes,
      clients: clientsWords(a.allowedClients === null, a.allowedClients ?? 0),
      createdAt: a.createdAt,
      ownerEmail: a.owner?.email ?? null,
    }));
  } else {
    const rows = await data().apis.listFor({ id: session.userId, admin: false });
    items = rows.map((a) => ({
      id: a.id,
      name: a.name,
      identifier: a.identifier,
      scopes: a.scopes.map((s) => s.name),
      clients: clientsWords(a.allClients, a.allowedClientIds.length),
      createdAt: a.createdAt,
    }));
  }
  return (
    <PortalShell current="dashboard" {...portalShellProps(session)}>
      <div className="flex flex-col gap-6">
        <DashboardTabs current="apis" />
        <div className="flex flex-wrap items-end justify-between gap-4">
          <div>
            <h1 className="text-2xl font-semibold tracking-tight text-neutral-900">{admin ? "All APIs" : "Your APIs"}</h1>
            <p className="mt-1 text-sm text-neutral-600">Servers that accept Latchkey access tokens issued for them.</p>
          </div>
          {items.length > 0 ? (
            <Link href="/dashboard/apis/new" className={buttonClassName()}>
              Create an API
            </Link>
          ) : null}
        </div>
        {params.deleted === "1" ? <Alert tone="success">API deleted. Apps can no longer get tokens for it.</Alert> : null}
        <ApiList apis={items} />
      </div>
    </PortalShell>
  );
}
