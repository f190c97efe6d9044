// /dashboard/apis/[id]: one API. Its owner (or an admin) sees its settings, its own credentials
// (the secret only as its prefix; rotate shows a new one once), the RFC 9728 metadata document
// and challenge it must serve, verification code for Next.js and Express, and delete. Anyone
// else gets a 404.
import type { Metadata } from "next";
import Link from "next/link";
import { Alert, Card, CopyButton, buttonClassName, formatUtc } from "@/components/ui";
import { PortalShell } from "@/components/portal/portal-shell";
import { CodeBlock } from "@/components/dashboard/code-block";
import { DefinitionList } from "@/components/dashboard/definition-list";
import { DeleteApiForm, RotateApiSecretForm } from "@/components/dashboard/api-confirm-forms";
import { TestTokenForm } from "@/components/dashboard/test-token-form";
import { data } from "@/lib/runtime";
import { requireApiAccess } from "@/lib/auth/session";
import { isAdmin } from "@/lib/auth/roles";
import { portalShellProps } from "@/app/_lib/portal-frame";
import { getConfig } from "@/lib/config";
import {
  expressSnippet,
  nextRouteHandlerSnippet,
  protectedResourceMetadataJson,
  protectedResourceMetadataUrl,
  wwwAuthenticateHeader,
} from "@/lib/dashboard/api-snippets";
import { endpointUrl } from "@/lib/oauth/endpoints";
import { deleteApiAction, rotateApiSecretAction, testTokenAction } from "../actions";

export const metadata: Metadata = { title: "API" };

type Props = { params: Promise<{ id: string }> };

export default async function ApiPage({ params }: Props) {
  const { id } = await params;
  const { session, api } = await requireApiAccess(id, `/dashboard/apis/${encodeURIComponent(id)}`);
  const cfg = getConfig();
  const issuer = cfg.issuer;
  const allowed = api.allClients ? [] : await Promise.all(api.allowedClientIds.map((c) => data().clients.findById(c)));
  const snippet = { issuer, identifier: api.identifier, scopes: api.scopes.map((s) => s.name) };
  const metadataUrl = protectedResourceMetadataUrl(api.identifier);
  // The test token's clients: the caller's own that this API allows (and that are not suspended).
  const own = await data().clients.listFor({ id: session.userId, admin: isAdmin(session.user) });
  const testClients = own.filter((c) => !c.suspended && (api.allClients || api.allowedClientIds.includes(c.id)));

  return (
    <PortalShell current="dashboard" {...portalShellProps(session)}>
      <div className="flex flex-col gap-6">
        <div className="flex flex-col gap-3">
          <Link href="/dashboard/apis" className="text-sm font-medium text-brand-700 hover:underline">
            ← All APIs
          </Link>
          <div className="flex flex-wrap items-end justify-between gap-4">
            <div className="min-w-0">
              <h1 className="break-words text-2xl font-semibold tracking-tight text-neutral-900">{api.name}</h1>
              <p className="mt-1 break-all font-mono text-sm text-neutral-600" data-testid="api-identifier">
                {api.identifier}
              </p>
            </div>
            <Link href={`/dashboard/apis/${api.id}/edit`} className={buttonClassName({ variant: "secondary" })}>
              Edit
            </Link>
          </div>
        </div>

        <Card title="Settings">
          <DefinitionList
            rows={[
              [
                "Identifier",
                <span key="i" className="flex flex-wrap items-center gap-2">
                  <code className="break-all font-mono">{api.identifier}</code>
                  <CopyButton value={api.identifier} what="identifier" />
                </span>,
              ],
              [
                "Scopes",
                api.scopes.length === 0 ? (
                  <span key="s" className="text-neutral-500">
                    none: tokens for this API carry no permission of its own
                  </span>
                ) : (
                  <ul key="s" className="flex flex-col gap-2" aria-label="Scopes">
                    {api.scopes.map((s) => (
                      <li key={s.name} className="flex flex-col">
                        <code className="break-all font-mono">{s.name}</code>
                        <span className="text-neutral-600">{s.description || "no description: users see the name"}</span>
                      </li>
                    ))}
                  </ul>
                ),
              ],
              [
                "Access token lifetime",
                api.accessTokenTtl === null ? `${cfg.tokens.accessToken} seconds (the server's default)` : `${api.accessTokenTtl} seconds`,
              ],
              [
                "Clients",
                api.allClients ? (
                  "Every client registered here may ask for it."
                ) : allowed.length === 0 ? (
                  <span key="c" className="text-amber-800">
                    No client may ask for it yet.
                  </span>
                ) : (
                  <ul key="c" className="flex flex-col gap-1" aria-label="Allowed clients">
                    {allowed.map((c, n) =>
                      c ? (
                        <li key={c.id}>
                          <Link href={`/dashboard/clients/${c.id}`} className="font-medium text-brand-700 hover:underline">
                            {c.name}
                          </Link>{" "}
                          <code className="break-all font-mono text-xs text-neutral-600">{c.clientId}</code>
                        </li>
                      ) : (
                        // biome-ignore lint/suspicious/noArrayIndexKey: a deleted client has only its place in the list
                        <li key={n} className="text-neutral-500">
                          a deleted client
                        </li>
                      ),
                    )}
                  </ul>
                ),
              ],
              ["Created", formatUtc(api.createdAt)],
            ]}
          />
        </Card>

        <Card
          title="Credentials"
          description="The API's own client, for the introspection endpoint (RFC 7662): it asks whether a token is still valid, to see revocations at once."
        >
          {api.credentials ? (
            <>
              <DefinitionList
                rows={[
                  [
                    "client_id",
                    <span key="id" className="flex flex-wrap items-center gap-2">
                      <code className="break-all font-mono" data-testid="api-client-id">
                        {api.credentials.clientId}
                      </code>
                      <CopyButton value={api.credentials.clientId} what="client_id" />
                    </span>,
                  ],
                  [
                    "Client secret",
                    <span key="s">
                      <code className="font-mono" data-testid="secret-prefix">
                        {api.credentials.secretPrefix}…
                      </code>{" "}
                      <span className="text-neutral-600">
                        (only the first characters are kept
                        {api.credentials.secretCreatedAt ? `; created ${formatUtc(api.credentials.secretCreatedAt)}` : ""})
                      </span>
                    </span>,
                  ],
                  [
                    "Introspection endpoint",
                    <span key="e" className="flex flex-wrap items-center gap-2">
                      <code className="break-all font-mono">{endpointUrl(issuer, "introspection")}</code>
                      <CopyButton value={endpointUrl(issuer, "introspection")} what="introspection endpoint" />
                    </span>,
                  ],
                ]}
              />
              <div className="mt-6 border-t border-neutral-200 pt-5">
                <h3 className="mb-3 text-sm font-semibold text-neutral-900">Rotate the secret</h3>
                <RotateApiSecretForm action={rotateApiSecretAction} apiId={api.id} />
              </div>
            </>
          ) : (
            <p className="text-sm text-neutral-600">This API has no credentials.</p>
          )}
        </Card>

        <Card
          title="Protected resource metadata"
          description="Tells apps (and MCP clients) which authorization server issues tokens for your API and which scopes it knows (RFC 9728)."
        >
          {metadataUrl ? (
            <div className="flex flex-col gap-6">
              <p className="text-sm text-neutral-700">
                Serve this JSON at{" "}
                <code className="break-all font-mono" data-testid="metadata-url">
                  {metadataUrl}
                </code>
                :
              </p>
              <CodeBlock title="oauth-protected-resource (JSON)" code={protectedResourceMetadataJson(snippet)} />
              <div className="flex flex-col gap-2">
                <p className="text-sm text-neutral-700">
                  And answer a request without a token with <code className="font-mono">401</code> and this header (RFC 9728 §5.1):
                </p>
                <CodeBlock title="WWW-Authenticate header" code={wwwAuthenticateHeader(metadataUrl)} />
              </div>
              {metadataUrl.startsWith("http:") ? (
                <Alert tone="warning">An http identifier is for your own machine only: in production, use an https URL.</Alert>
              ) : null}
            </div>
          ) : (
            <Alert tone="info">
              The identifier is not an https URL, so your API cannot publish RFC 9728 metadata: clients that discover APIs this way
              cannot find it. Tokens and verification work all the same.
            </Alert>
          )}
        </Card>

        <Card
          title="Verify tokens"
          description="Paste into your API: it checks the signature with Latchkey's published keys (no call to Latchkey per request), the issuer, the audience (this API), that it is an access token, and the scope."
        >
          <div className="flex flex-col gap-6">
            <CodeBlock title="Next.js route handler (TypeScript)" code={nextRouteHandlerSnippet(snippet)} />
            <CodeBlock title="Express middleware (JavaScript)" code={expressSnippet(snippet)} />
          </div>
        </Card>

        <Card
          title="Test token"
          description="A real access token for this API, as one of your clients would get it with client_credentials: try your API with it."
        >
          {testClients.length > 0 ? (
            <TestTokenForm
              action={testTokenAction}
              apiId={api.id}
              clients={testClients.map((c) => ({ id: c.id, name: c.name, clientId: c.clientId }))}
              scopes={api.scopes}
              apiUrl={metadataUrl ? api.identifier : "https://your-api.example.com"}
            />
          ) : (
            <p className="text-sm text-neutral-600">
              None of your clients may ask for this API yet.{" "}
              {api.allClients ? (
                <Link href="/dashboard/clients/new" className="font-medium text-brand-700 hover:underline">
                  Register a client
                </Link>
              ) : (
                <Link href={`/dashboard/apis/${api.id}/edit`} className="font-medium text-brand-700 hover:underline">
                  Choose the clients that may
                </Link>
              )}{" "}
              to get a test token.
            </p>
          )}
        </Card>

        <Card title="Delete this API">
          <DeleteApiForm action={deleteApiAction} apiId={api.id} apiName={api.name} />
        </Card>
      </div>
    </PortalShell>
  );
}
