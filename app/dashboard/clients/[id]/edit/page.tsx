// /dashboard/clients/[id]/edit: the registration form, prefilled. Owner or admin; else 404.
import type { Metadata } from "next";
import { Card } from "@/components/ui";
import { PortalShell } from "@/components/portal/portal-shell";
import { ClientForm } from "@/components/dashboard/client-form";
import { requireClientAccess } from "@/lib/auth/session";
import { portalShellProps } from "@/app/_lib/portal-frame";
import { clientMetadataOf } from "@/lib/db/clients";
import { defaultApiChoices, formValuesOf } from "@/lib/dashboard/client-form";
import { data } from "@/lib/runtime";
import { isAdmin } from "@/lib/auth/roles";
import { KNOWN_SCOPES, SCOPES } from "@/lib/oauth/scopes";
import { updateClientAction } from "../../actions";

export const metadata: Metadata = { title: "Edit client" };

type Props = { params: Promise<{ id: string }> };

export default async function EditClientPage({ params }: Props) {
  const { id } = await params;
  const { session, client } = await requireClientAccess(id, `/dashboard/clients/${encodeURIComponent(id)}/edit`);
  const apis = defaultApiChoices(await data().apis.listFor({ id: session.userId, admin: isAdmin(session.user) }), client.id);
  // A default set elsewhere (the CLI, an admin) stays offered, so saving the form keeps it.
  const current = client.defaultApiId && !apis.some((a) => a.id === client.defaultApiId) ? await data().apis.findById(client.defaultApiId) : null;
  if (current) apis.unshift(current);
  return (
    <PortalShell current="dashboard" {...portalShellProps(session)}>
      <div className="flex flex-col gap-6">
        <div className="min-w-0">
          <h1 className="break-words text-2xl font-semibold tracking-tight text-neutral-900">Edit {client.name}</h1>
          <p className="mt-1 text-sm text-neutral-600">Changes apply to the next authorization request.</p>
        </div>
        <Card>
          <ClientForm
            mode="edit"
            action={updateClientAction}
            clientRowId={client.id}
            cancelHref={`/dashboard/clients/${client.id}`}
            scopes={KNOWN_SCOPES.map((name) => ({ name, description: SCOPES[name] }))}
            initial={{ ...formValuesOf(clientMetadataOf(client)), default_api: client.defaultApiId ?? "" }}
            apis={apis.map((a) => ({ id: a.id, name: a.name, identifier: a.identifier }))}
          />
        </Card>
      </div>
    </PortalShell>
  );
}
