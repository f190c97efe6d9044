// /dashboard/clients/[id]: one client. Its owner (or an admin) sees the credentials (the secret
// only as its prefix), the security scorecard with one-click fixes, usage, ready-to-paste
// configuration, and the way to "Try it". Anyone else gets a 404.
import type { Metadata } from "next";
import type { ReactNode } from "react";
import Link from "next/link";
import { Card, CopyButton, buttonClassName, formatUtc } from "@/components/ui";
import { PortalShell } from "@/components/portal/portal-shell";
import { CodeBlock } from "@/components/dashboard/code-block";
import { DefinitionList } from "@/components/dashboard/definition-list";
import { RotateSecretForm } from "@/components/dashboard/rotate-secret-form";
import { ScorecardView } from "@/components/dashboard/scorecard-view";
import { data } from "@/lib/runtime";
import { requireClientAccess } from "@/lib/auth/session";
import { portalShellProps } from "@/app/_lib/portal-frame";
import { getConfig } from "@/lib/config";
import { clientMetadataOf } from "@/lib/db/clients";
import { scorecard } from "@/lib/dashboard/scorecard";
import { discoveryUrl, nextAuthSnippet, openidClientSnippet } from "@/lib/dashboard/snippets";
import { rotateSecretAction, scorecardFixAction } from "../actions";

export const metadata: Metadata = { title: "Client" };

type Props = { params: Promise<{ id: string }> };

/** What each token endpoint auth method asks of the app, in plain words. */
const AUTH_METHOD_WORDS = {
  client_secret_basic: "The app sends its client_id and secret in an HTTP Basic Authorization header.",
  client_secret_post: "The app sends client_id and client_secret as fields of the form it posts.",
  none: "The app sends only its client_id (a public client proves itself with PKCE).",
} as const;

function List({ items, empty }: { items: string[]; empty: string }) {
  if (items.length === 0) return <span className="text-neutral-500">{empty}</span>;
  return (
    <ul className="flex flex-col gap-1">
      {items.map((i) => (
        <li key={i} className="break-all font-mono text-xs sm:text-sm">
          {i}
        </li>
      ))}
    </ul>
  );
}

export default async function ClientPage({ params }: Props) {
  const { id } = await params;
  const { session, client } = await requireClientAccess(id, `/dashboard/clients/${encodeURIComponent(id)}`);
  // The API the client gets when it names no resource (RFC 8707; set on the edit page).
  const defaultApi = client.defaultApiId ? await data().apis.findById(client.defaultApiId) : null;
  const issuer = getConfig().issuer;
  const now = new Date();
  const usage = await data().clients.usage(client.id, now);
  const meta = clientMetadataOf(client);
  const publicClient = meta.token_endpoint_auth_method === "none";
  const scopes = meta.scope.split(" ").filter(Boolean);
  const items = scorecard({
    publicClient,
    requirePkce: meta.require_pkce,
    redirectUris: meta.redirect_uris,
    grantTypes: meta.grant_types,
    scopes,
    secretCreatedAt: client.secretCreatedAt,
    createdAt: client.createdAt,
    clientCredentialsTokensLast30d: usage.clientCredentialsTokensLast30d,
    now,
  });
  const snippet = {
    issuer,
    clientId: client.clientId,
    authMethod: meta.token_endpoint_auth_method,
    redirectUri: meta.redirect_uris[0] ?? null,
    scopes,
  };
  const graceUntil =
    client.previousSecretHash && client.previousSecretExpiresAt && client.previousSecretExpiresAt > now ? client.previousSecretExpiresAt : null;

  return (
    <PortalShell current="dashboard" {...portalShellProps(session)}>
      <div className="flex flex-col gap-6">
        <div className="flex flex-col gap-3">
          <Link href="/dashboard/clients" className="text-sm font-medium text-brand-700 hover:underline">
            ← All clients
          </Link>
          <div className="flex flex-wrap items-end justify-between gap-4">
            <div className="min-w-0">
              <h1 className="break-words text-2xl font-semibold tracking-tight text-neutral-900">{client.name}</h1>
              <p className="mt-1 text-sm text-neutral-600">
                {publicClient ? "Browser or native app (public)" : "Server app (confidential)"}
                {client.suspended ? " · suspended by an administrator" : ""}
                {client.verified ? " · verified by an administrator" : " · unverified: users see a warning on the consent screen until an administrator verifies it"}
                {client.description ? ` · ${client.description}` : ""}
              </p>
            </div>
            <div className="flex flex-wrap gap-2">
              <Link href={`/dashboard/clients/${client.id}/try`} className={buttonClassName()}>
                Try it
              </Link>
              <Link href={`/dashboard/clients/${client.id}/edit`} className={buttonClassName({ variant: "secondary" })}>
                Edit
              </Link>
              <Link href={`/dashboard/clients/${client.id}/delete`} className={buttonClassName({ variant: "ghost", className: "text-red-700" })}>
                Delete
              </Link>
            </div>
          </div>
        </div>

        <Card title="Credentials">
          <DefinitionList
            rows={[
              [
                "client_id",
                <span key="id" className="flex flex-wrap items-center gap-2">
                  <code className="break-all font-mono" data-testid="client-id">
                    {client.clientId}
                  </code>
                  <CopyButton value={client.clientId} what="client_id" />
                </span>,
              ],
              [
                "Discovery URL",
                <span key="d" className="flex flex-wrap items-center gap-2">
                  <code className="break-all font-mono">{discoveryUrl(issuer)}</code>
                  <CopyButton value={discoveryUrl(issuer)} what="discovery URL" />
                </span>,
              ],
              [
                "Token endpoint authentication",
                <span key="m" className="flex flex-col gap-0.5">
                  <code className="font-mono" data-testid="auth-method">
                    {meta.token_endpoint_auth_method}
                  </code>
                  <span className="text-neutral-600">{AUTH_METHOD_WORDS[meta.token_endpoint_auth_method]}</span>
                </span>,
              ],
              [
                "ID token signing algorithm",
                <code key="alg" className="font-mono" data-testid="id-token-alg">
                  {meta.id_token_signed_response_alg}
                </code>,
              ],
              [
                "ID token claims",
                <span key="claims" data-testid="id-token-claims">
                  {meta.id_token_user_claims ? "Name and email (as the user grants profile and email)" : "None: the app reads them from userinfo"}
                </span>,
              ],
              ...(publicClient
                ? ([["Client secret", <span key="s" className="text-neutral-600">None: a public client uses PKCE instead.</span>]] as [string, ReactNode][])
                : ([
                    [
                      "Client secret",
                      <span key="s" className="flex flex-col gap-1">
                        <span>
                          <code className="font-mono" data-testid="secret-prefix">
                            {client.secretPrefix}…
                          </code>{" "}
                          <span className="text-neutral-600">
                            (only the first characters are kept{client.secretCreatedAt ? `; created ${formatUtc(client.secretCreatedAt)}` : ""})
                          </span>
                        </span>
                        {graceUntil ? (
                          <span className="text-amber-800">The previous secret still works until {formatUtc(graceUntil)}.</span>
                        ) : null}
                      </span>,
                    ],
                  ] as [string, ReactNode][])),
            ]}
          />
          {publicClient ? null : (
            <div className="mt-6 border-t border-neutral-200 pt-5">
              <h3 className="mb-3 text-sm font-semibold text-neutral-900">Rotate the secret</h3>
              <RotateSecretForm action={rotateSecretAction} clientRowId={client.id} />
            </div>
          )}
        </Card>

        <Card title="Security scorecard" description="Checked against the OAuth 2.0 Security Best Current Practice (RFC 9700) and OAuth 2.1.">
          <ScorecardView items={items} fixAction={scorecardFixAction} clientRowId={client.id} />
        </Card>

        <Card title="Usage">
          <DefinitionList
            rows={[
              ["Active consents", <span key="c" data-testid="usage-consents">{usage.activeConsents}</span>],
              ["Tokens, last 24 h", <span key="t" data-testid="usage-tokens">{usage.tokensLast24h}</span>],
              [
                "Last error",
                client.lastError ? (
                  <span key="e" className="flex flex-col">
                    <code className="break-words font-mono">{client.lastError}</code>
                    {client.lastErrorAt ? <span className="text-neutral-600">{formatUtc(client.lastErrorAt)}</span> : null}
                  </span>
                ) : (
                  <span key="e" className="text-neutral-500">
                    none recorded
                  </span>
                ),
              ],
            ]}
          />
        </Card>

        <Card title="Configuration" description="Paste into your app; the secret comes from the environment (LATCHKEY_CLIENT_SECRET).">
          <div className="flex flex-col gap-6">
            <CodeBlock title="openid-client (v6)" code={openidClientSnippet(snippet)} />
            <CodeBlock title="next-auth (v4) provider" code={nextAuthSnippet(snippet)} />
          </div>
        </Card>

        <Card title="Registration">
          <DefinitionList
            rows={[
              ["Redirect URIs", <List key="r" items={meta.redirect_uris} empty="none" />],
              ["Post-logout redirect URIs", <List key="p" items={meta.post_logout_redirect_uris} empty="none" />],
              ["Allowed scopes", <span key="s" className="font-mono">{scopes.join(" ")}</span>],
              ["Grant types", <span key="g" className="font-mono">{meta.grant_types.join(" ")}</span>],
              [
                "Default API",
                defaultApi ? (
                  <span key="d" data-testid="default-api">
                    {defaultApi.name} <span className="font-mono break-all text-neutral-600">{defaultApi.identifier}</span>
                  </span>
                ) : (
                  <span key="d" className="text-neutral-500" data-testid="default-api">
                    none: without a resource, tokens are for the userinfo endpoint
                  </span>
                ),
              ],
              ["PKCE", meta.require_pkce ? "required" : "optional"],
              ["Home page", meta.client_uri ?? <span className="text-neutral-500">not set</span>],
              ["Registered", `${formatUtc(client.createdAt)}, via ${client.registeredVia}`],
            ]}
          />
        </Card>
      </div>
    </PortalShell>
  );
}
