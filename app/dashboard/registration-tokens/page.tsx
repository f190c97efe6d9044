// Initial access tokens for dynamic client registration (RFC 7591 §3): admins only. Anyone else
// gets a 404, as if the page did not exist; a signed-out visitor is sent to sign in first.
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Card } from "@/components/ui";
import { PortalShell } from "@/components/portal/portal-shell";
import { CreateTokenForm } from "@/components/registration/create-token-form";
import { TokenList } from "@/components/registration/token-list";
import { data } from "@/lib/runtime";
import { isAdmin } from "@/lib/auth/roles";
import { requireUser } from "@/lib/auth/session";
import { portalShellProps } from "@/app/_lib/portal-frame";
import { getConfig } from "@/lib/config";
import { initialAccessTokenState } from "@/lib/db/registration";
import { endpointUrl } from "@/lib/oauth/endpoints";
import { createRegistrationTokenAction, revokeRegistrationTokenAction } from "./actions";

export const metadata: Metadata = { title: "Registration tokens" };

const PAGE = "/dashboard/registration-tokens";

export default async function RegistrationTokensPage() {
  // requireAdmin's rule (admins only, else 404), after sending a signed-out visitor to sign in.
  const session = await requireUser(PAGE);
  if (!isAdmin(session.user)) notFound();
  const now = new Date();
  const rows = await data().registration.listInitialAccessTokens();
  const tokens = rows.map((r) => ({
    id: r.id,
    label: r.label,
    prefix: r.prefix,
    createdAt: r.createdAt,
    expiresAt: r.expiresAt,
    useCount: r.useCount,
    lastUsedAt: r.lastUsedAt,
    state: initialAccessTokenState(r, now),
  }));
  const cfg = getConfig();
  const endpoint = endpointUrl(cfg.issuer, "registration");
  return (
    <PortalShell current="dashboard" {...portalShellProps(session)}>
      <div className="flex flex-col gap-6">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight text-neutral-900">Registration tokens</h1>
          <p className="mt-1 text-sm text-neutral-600">
            Initial access tokens let software register its own OAuth client (RFC 7591). Clients registered with a token
            belong to the admin who created it and appear in{" "}
            <Link href="/dashboard/clients" className="font-medium text-brand-700 hover:underline">
              your clients
            </Link>
            .
          </p>
        </div>
        <Card title="New token">
          <CreateTokenForm action={createRegistrationTokenAction} />
        </Card>
        <Card
          title="Tokens"
          description={
            cfg.openRegistration
              ? "Open registration is on: clients can also register without a token."
              : "Registration needs one of these tokens (open registration is off)."
          }
        >
          <TokenList tokens={tokens} revokeAction={revokeRegistrationTokenAction} />
        </Card>
        <Card title="How to register a client">
          <p className="text-sm text-neutral-600">Send the client metadata as JSON, with the token as a Bearer credential:</p>
          <pre className="mt-3 overflow-x-auto rounded-lg bg-neutral-900 p-3 text-xs leading-relaxed text-neutral-100">
            <code>{`POST ${endpoint}
Authorization: Bearer <token>
Content-Type: application/json

{"client_name": "My app", "redirect_uris": ["https://app.example.com/callback"]}`}</code>
          </pre>
          <p className="mt-3 text-sm text-neutral-600">
            The response carries the client_id, the client_secret, and a registration access token for reading, updating and
            deleting the client at its registration_client_uri (RFC 7592).
          </p>
        </Card>
      </div>
    </PortalShell>
  );
}
