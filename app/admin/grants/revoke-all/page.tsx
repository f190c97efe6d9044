// Admin: "revoke all for client" — first what would be revoked now (previewRevocation), then
// the confirmation, then (in the form) the report of what was.
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Alert, Card } from "@/components/ui";
import { AdminFrame } from "@/components/admin/admin-frame";
import { GrantCountList } from "@/components/admin/grant-counts";
import { RevokeAllForm } from "@/components/admin/revoke-all-form";
import { data } from "@/lib/runtime";
import { requireAdmin } from "@/lib/auth/session";
import { portalShellProps } from "@/app/_lib/portal-frame";
import { revokeAllForClientAction } from "../actions";

export const metadata: Metadata = { title: "Revoke all for client · Admin" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function RevokeAllPage({ searchParams }: Props) {
  const session = await requireAdmin();
  const raw = (await searchParams).client;
  const clientId = typeof raw === "string" && raw.length <= 200 ? raw.trim() : "";
  const preview = clientId ? await data().admin.previewRevokeAllForClient(clientId) : null;
  if (!preview) notFound();
  const back = `/admin/grants?client=${encodeURIComponent(preview.client.clientId)}`;
  return (
    <AdminFrame
      shell={portalShellProps(session)}
      section="grants"
      title={`Revoke all for ${preview.client.name}`}
      description={<span className="font-mono text-xs break-all">{preview.client.clientId}</span>}
      back={{ href: back, label: "Grants of this client" }}
    >
      <Card title="What will be revoked" description="Counted just now. Every user will have to allow the app again; its tokens stop working at once.">
        <div className="flex flex-col gap-5">
          <GrantCountList counts={preview.counts} label="Will be revoked" />
          <Alert tone="warning">This cannot be undone. The client itself stays registered; suspend it as well to stop new sign-ins.</Alert>
          <RevokeAllForm action={revokeAllForClientAction} clientRowId={preview.client.id} clientName={preview.client.name} backHref={back} />
        </div>
      </Card>
    </AdminFrame>
  );
}
