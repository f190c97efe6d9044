// /dashboard/apis/[id]/edit: change an API's name, scopes, token lifetime and clients. Owner or admin; else 404.
import type { Metadata } from "next";
import Link from "next/link";
import { Card } from "@/components/ui";
import { PortalShell } from "@/components/portal/portal-shell";
import { ApiForm } from "@/components/dashboard/api-form";
import { data } from "@/lib/runtime";
import { requireApiAccess } from "@/lib/auth/session";
import { portalShellProps } from "@/app/_lib/portal-frame";
import { isAdmin } from "@/lib/auth/roles";
import { getConfig } from "@/lib/config";
import { apiFormValuesOf } from "@/lib/dashboard/api-form";
import { updateApiAction } from "../../actions";

export const metadata: Metadata = { title: "Edit API" };

type Props = { params: Promise<{ id: string }> };

export default async function EditApiPage({ params }: Props) {
  const { id } = await params;
  const { session, api } = await requireApiAccess(id, `/dashboard/apis/${encodeURIComponent(id)}/edit`);
  const own = await data().clients.listFor({ id: session.userId, admin: isAdmin(session.user) });
  // Clients already allowed that are not the caller's (an admin chose them): kept on the list, so saving keeps them.
  const known = new Set(own.map((c) => c.id));
  const others = await Promise.all(api.allowedClientIds.filter((c) => !known.has(c)).map((c) => data().clients.findById(c)));
  const clients = [...own, ...others.filter((c) => c !== null)];
  return (
    <PortalShell current="dashboard" {...portalShellProps(session)}>
      <div className="flex flex-col gap-6">
        <div className="flex flex-col gap-3">
          <Link href={`/dashboard/apis/${api.id}`} className="text-sm font-medium text-brand-700 hover:underline">
            ← {api.name}
          </Link>
          <h1 className="break-words text-2xl font-semibold tracking-tight text-neutral-900">Edit {api.name}</h1>
        </div>
        <Card>
          <ApiForm
            mode="edit"
            action={updateApiAction}
            apiId={api.id}
            cancelHref={`/dashboard/apis/${api.id}`}
            defaultTtl={getConfig().tokens.accessToken}
            clients={clients.map((c) => ({ id: c.id, name: c.name, clientId: c.clientId }))}
            initial={apiFormValuesOf(api)}
          />
        </Card>
      </div>
    </PortalShell>
  );
}
