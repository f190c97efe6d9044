// Admin: delete a client — what goes with it (live grants), then the typed-name confirmation.
import { data } from "@/lib/runtime";
import { isSafeId } from "@/lib/oauth/text";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Alert, Card } from "@/components/ui";
import { AdminFrame } from "@/components/admin/admin-frame";
import { GrantCountList } from "@/components/admin/grant-counts";
import { DeleteClientForm } from "@/components/admin/delete-client-form";
import { requireAdmin } from "@/lib/auth/session";
import { portalShellProps } from "@/app/_lib/portal-frame";
import { deleteClientAction } from "../../actions";

export const metadata: Metadata = { title: "Delete client · Admin" };

type Props = { params: Promise<{ id: string }> };

export default async function DeleteClientPage({ params }: Props) {
  const session = await requireAdmin();
  const { id } = await params;
  const client = isSafeId(id) ? await data().admin.findClient({ id }) : null;
  if (!client) notFound();
  const preview = await data().admin.previewRevokeAllForClient(client.clientId);
  return (
    <AdminFrame
      shell={portalShellProps(session)}
      section="clients"
      title={`Delete ${client.name}`}
      description={<span className="font-mono text-xs break-all">{client.clientId}</span>}
      back={{ href: "/admin/clients", label: "All clients" }}
    >
      <Card title="This deletes the client for good">
        <div className="flex flex-col gap-5">
          <Alert tone="warning">
            Its consents, codes and tokens are deleted with it; apps using its client ID stop working at once.
          </Alert>
          {preview ? <GrantCountList counts={preview.counts} label="Live grants that go with it" /> : null}
          <DeleteClientForm action={deleteClientAction} clientRowId={client.id} clientName={client.name} />
        </div>
      </Card>
    </AdminFrame>
  );
}
