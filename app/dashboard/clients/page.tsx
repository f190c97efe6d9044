// /dashboard/clients: the signed-in developer's clients (an admin's: every client).
import type { Metadata } from "next";
import Link from "next/link";
import { buttonClassName } from "@/components/ui";
import { PortalShell } from "@/components/portal/portal-shell";
import { ClientList } from "@/components/dashboard/client-list";
import { DashboardTabs } from "@/components/dashboard/dashboard-tabs";
import { data } from "@/lib/runtime";
import { requireDashboardUser } from "@/lib/auth/session";
import { portalShellProps } from "@/app/_lib/portal-frame";
import { isAdmin } from "@/lib/auth/roles";

export const metadata: Metadata = { title: "Your clients" };

export default async function ClientsPage() {
  const session = await requireDashboardUser("/dashboard/clients");
  const admin = isAdmin(session.user);
  const rows = await data().clients.listFor({ id: session.userId, admin });
  const tokens = await data().clients.tokensLast24h(rows.map((r) => r.id));
  return (
    <PortalShell current="dashboard" {...portalShellProps(session)}>
      <div className="flex flex-col gap-6">
        <DashboardTabs current="clients" />
        <div className="flex flex-wrap items-end justify-between gap-4">
          <div>
            <h1 className="text-2xl font-semibold tracking-tight text-neutral-900">{admin ? "All clients" : "Your clients"}</h1>
            <p className="mt-1 text-sm text-neutral-600">Apps that sign users in with Latchkey.</p>
          </div>
          {rows.length > 0 ? (
            <Link href="/dashboard/clients/new" className={buttonClassName()}>
              Register a client
            </Link>
          ) : null}
        </div>
        <ClientList
          clients={rows.map((r) => ({
            id: r.id,
            name: r.name,
            clientId: r.clientId,
            publicClient: r.tokenEndpointAuthMethod === "none",
            createdAt: r.createdAt,
            tokensLast24h: tokens.get(r.id) ?? 0,
            suspended: r.suspended,
            ...(admin ? { ownerEmail: r.owner?.email ?? null } : {}),
          }))}
        />
      </div>
    </PortalShell>
  );
}
