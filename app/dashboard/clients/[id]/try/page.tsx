// The flow inspector's start (/dashboard/clients/<id>/try): step A, prepared for real, for a
// client the caller may manage (owner or admin; anyone else gets a 404).
import type { Metadata } from "next";
import { Alert, buttonClassName } from "@/components/ui";
import { PortalShell } from "@/components/portal/portal-shell";
import { AddCallbackForm } from "@/components/inspector/add-callback-form";
import { CodeBlock } from "@/components/inspector/code-block";
import { ExplainedList } from "@/components/inspector/explained-list";
import { FlowOverview } from "@/components/inspector/flow-overview";
import { InspectorHeading } from "@/components/inspector/inspector-heading";
import { ScopeForm } from "@/components/inspector/scope-form";
import { Step } from "@/components/inspector/step";
import { requireClientAccess } from "@/lib/auth/session";
import { portalShellProps } from "@/app/_lib/portal-frame";
import { getConfig } from "@/lib/config";
import { authorizationRequest, callbackUrl } from "@/lib/inspector/authorization-request";
import { explainMissingCallback } from "@/lib/inspector/errors";
import { endpointUrl } from "@/lib/oauth/endpoints";
import { isKnownScope, parseScope, SCOPES } from "@/lib/oauth/scopes";
import { currentRun, inspectorApis } from "@/app/dashboard/inspector/server";
import { qualifyScope } from "@/lib/oauth/resources";
import { addCallbackAction, startRunAction } from "./actions";

export const metadata: Metadata = { title: "Try the flow" };

type Props = { params: Promise<{ id: string }> };

export default async function TryPage({ params }: Props) {
  const { id } = await params;
  const { session, client } = await requireClientAccess(id, `/dashboard/clients/${encodeURIComponent(id)}/try`);
  const issuer = getConfig().issuer;
  const callback = callbackUrl(issuer);
  const redirectUris = JSON.parse(client.redirectUris) as string[];
  const registered = redirectUris.includes(callback);
  const scopes = parseScope(client.scopes);
  const codeGrant = parseScope(client.grantTypes).includes("authorization_code");
  const run = await currentRun(session, client.id);
  const request = run ? authorizationRequest(run, client, endpointUrl(issuer, "authorization")) : null;
  const { apis, defaultApi } = await inspectorApis(session, client);
  // What step A shows ticked and chosen: the run's, else every client scope and the default API.
  const selectedApi = run ? (apis.find((a) => a.identifier === run.resource)?.id ?? "") : (defaultApi?.id ?? "");
  const selected = run
    ? [...run.scope.filter((s) => scopes.includes(s)), ...(run.api ? run.api.scopes.map((s) => qualifyScope(run.api!.identifier, s)) : [])]
    : scopes;

  return (
    <PortalShell current="dashboard" {...portalShellProps(session)}>
      <div className="flex flex-col gap-6">
        <InspectorHeading clientName={client.name}>
          <p className="mt-1 text-sm text-neutral-600">
            Run the authorization code flow of this client for real, step by step, against Latchkey&apos;s own endpoints, and see every
            request and response. You will sign in and consent as yourself.
          </p>
        </InspectorHeading>
        <FlowOverview current="A" />

        <Step letter="A" title="Authorization request" status={request && registered ? "current" : "todo"}>
          {!codeGrant ? (
            <Alert tone="warning" title="This client cannot use the authorization code flow">
              Its grant types do not include authorization_code, so /oauth/authorize will answer unauthorized_client.
            </Alert>
          ) : null}
          {!registered ? (
            <Alert tone="warning" title="The inspector's callback is not registered">
              <p>{explainMissingCallback(callback, redirectUris)}</p>
              <div className="mt-3">
                <AddCallbackForm action={addCallbackAction} clientRowId={client.id} />
              </div>
            </Alert>
          ) : (
            <p>
              The browser comes back to the inspector at <code className="break-all font-mono text-xs">{callback}</code>, one of this
              client&apos;s registered redirect URIs.
            </p>
          )}
          <ScopeForm
            action={startRunAction}
            clientRowId={client.id}
            scopes={scopes.map((s) => ({ name: s, meaning: isKnownScope(s) ? SCOPES[s] : "" }))}
            selected={selected}
            started={run !== null}
            apis={apis}
            selectedApi={selectedApi}
            defaultApiName={defaultApi?.name ?? null}
          />
          {request ? (
            <>
              <div>
                <h3 className="mb-2 font-semibold text-neutral-900">The request, parameter by parameter</h3>
                <ExplainedList items={request.params} label="Authorization request parameters" />
              </div>
              <div>
                <h3 className="mb-2 font-semibold text-neutral-900">PKCE (RFC 7636, S256)</h3>
                <ExplainedList
                  label="PKCE values"
                  items={[
                    { name: "code_verifier", value: request.pkce.verifier, meaning: "A fresh random secret, 43 characters of base64url (§4.1). Kept by the client; sent only in step D." },
                    { name: "code_challenge", value: request.pkce.challenge, meaning: "BASE64URL(SHA-256(code_verifier)) (§4.2). Sent now; the server checks the verifier against it in step D." },
                    { name: "code_challenge_method", value: request.pkce.method, meaning: "The transformation used: SHA-256. plain is refused." },
                  ]}
                />
              </div>
              <div>
                <h3 className="mb-2 font-semibold text-neutral-900">The full URL</h3>
                <CodeBlock label="Authorization request URL">{request.url}</CodeBlock>
              </div>
              <p className="text-neutral-600">
                The state, nonce and code_verifier are kept for 10 minutes in an encrypted, httpOnly cookie of this browser; no client
                secret is ever kept.
              </p>
              {registered ? (
                <div>
                  <a href={request.url} className={buttonClassName()}>
                    Send the browser to /oauth/authorize
                  </a>
                </div>
              ) : null}
            </>
          ) : (
            <p className="text-neutral-600">Pick the scopes and prepare the request to see its parameters and PKCE values.</p>
          )}
        </Step>
        <Step letter="B" title="Sign-in and consent, on Latchkey's own pages" status="todo" />
        <Step letter="C" title="The redirect back with the code" status="todo" />
        <Step letter="D" title="Token request" status="todo" />
        <Step letter="E" title="Token response" status="todo" />
      </div>
    </PortalShell>
  );
}
