// /dashboard/clients/new: register a client.
import type { Metadata } from "next";
import { Card } from "@/components/ui";
import { PortalShell } from "@/components/portal/portal-shell";
import { ClientForm } from "@/components/dashboard/client-form";
import { requireDashboardUser } from "@/lib/auth/session";
import { portalShellProps } from "@/app/_lib/portal-frame";
import { SCOPES, KNOWN_SCOPES } from "@/lib/oauth/scopes";
import { createClientAction } from "../actions";

export const metadata: Metadata = { title: "Register a client" };

export default async function NewClientPage() {
  const session = await requireDashboardUser("/dashboard/clients/new");
  return (
    <PortalShell current="dashboard" {...portalShellProps(session)}>
      <div className="flex flex-col gap-6">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight text-neutral-900">Register a client</h1>
          <p className="mt-1 text-sm text-neutral-600">Tell Latchkey about your app and where to send users back.</p>
        </div>
        <Card>
          <ClientForm
            mode="create"
            action={createClientAction}
            cancelHref="/dashboard/clients"
            scopes={KNOWN_SCOPES.map((name) => ({ name, description: SCOPES[name] }))}
            initial={{
              client_name: "",
              description: "",
              client_uri: "",
              logo_uri: "",
              client_type: "confidential",
              redirect_uris: "",
              post_logout_redirect_uris: "",
              default_api: "",
              scope: ["openid", "profile", "email"],
              grant_types: ["authorization_code"],
              require_pkce: true,
              token_endpoint_auth_method: "client_secret_basic",
              id_token_signed_response_alg: "ES256",
              id_token_user_claims: true,
            }}
          />
        </Card>
      </div>
    </PortalShell>
  );
}
