// /dashboard/apis/new: create an API.
import type { Metadata } from "next";
import { Card } from "@/components/ui";
import { PortalShell } from "@/components/portal/portal-shell";
import { ApiForm } from "@/components/dashboard/api-form";
import { data } from "@/lib/runtime";
import { requireDashboardUser } from "@/lib/auth/session";
import { portalShellProps } from "@/app/_lib/portal-frame";
import { isAdmin } from "@/lib/auth/roles";
import { getConfig } from "@/lib/config";
import { createApiAction } from "../actions";

export const metadata: Metadata = { title: "Create an API" };

export default async function NewApiPage() {
  const session = await requireDashboardUser("/dashboard/apis/new");
  const clients = await data().clients.listFor({ id: session.userId, admin: isAdmin(session.user) });
  return (
    <PortalShell current="dashboard" {...portalShellProps(session)}>
      <div className="flex flex-col gap-6">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight text-neutral-900">Create an API</h1>
          <p className="mt-1 text-sm text-neutral-600">Name your API, the URL apps ask tokens for, and the permissions it knows.</p>
        </div>
        <Card>
          <ApiForm
            mode="create"
            action={createApiAction}
            cancelHref="/dashboard/apis"
            defaultTtl={getConfig().tokens.accessToken}
            clients={clients.map((c) => ({ id: c.id, name: c.name, clientId: c.clientId }))}
            initial={{ name: "", identifier: "", scopes: "", access_token_ttl: "", client_access: "all", allowed_clients: [] }}
          />
        </Card>
      </div>
    </PortalShell>
  );
}
