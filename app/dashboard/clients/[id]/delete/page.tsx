// /dashboard/clients/[id]/delete: confirm by typing the name. Owner or admin; else 404.
import type { Metadata } from "next";
import { Card } from "@/components/ui";
import { PortalShell } from "@/components/portal/portal-shell";
import { DeleteClientForm } from "@/components/dashboard/delete-client-form";
import { data } from "@/lib/runtime";
import { requireClientAccess } from "@/lib/auth/session";
import { portalShellProps } from "@/app/_lib/portal-frame";
import { deleteClientAction } from "../../actions";

export const metadata: Metadata = { title: "Delete client" };

type Props = { params: Promise<{ id: string }> };

export default async function DeleteClientPage({ params }: Props) {
  const { id } = await params;
  const { session, client } = await requireClientAccess(id, `/dashboard/clients/${encodeURIComponent(id)}/delete`);
  const usage = await data().clients.usage(client.id);
  return (
    <PortalShell current="dashboard" {...portalShellProps(session)}>
      <div className="flex flex-col gap-6">
        <div className="min-w-0">
          <h1 className="break-words text-2xl font-semibold tracking-tight text-neutral-900">Delete {client.name}</h1>
          <p className="mt-1 text-sm text-neutral-600">
            This cannot be undone. Every consent, code and token of this client goes with it, so its{" "}
            {usage.activeConsents === 1 ? "1 user loses" : `${usage.activeConsents} users lose`} access through it at once.
          </p>
        </div>
        <Card>
          <DeleteClientForm action={deleteClientAction} clientRowId={client.id} clientName={client.name} />
        </Card>
      </div>
    </PortalShell>
  );
}
