// The flow inspector's built-in redirect URI (/dashboard/inspector/callback): step C (the
// redirect, checked as a client must), then steps D and E and the calls after them.
import type { Metadata } from "next";
import Link from "next/link";
import { Alert, Card } from "@/components/ui";
import { PortalShell } from "@/components/portal/portal-shell";
import { Checks } from "@/components/inspector/checks";
import { CodeBlock } from "@/components/inspector/code-block";
import { ExplainedList } from "@/components/inspector/explained-list";
import { FlowOverview } from "@/components/inspector/flow-overview";
import { InspectorHeading } from "@/components/inspector/inspector-heading";
import { Step } from "@/components/inspector/step";
import { TokenSteps } from "@/components/inspector/token-steps";
import { requireClientAccess, requireDashboardUser } from "@/lib/auth/session";
import { portalShellProps } from "@/app/_lib/portal-frame";
import { getConfig } from "@/lib/config";
import { CALLBACK_PATH } from "@/lib/inspector/authorization-request";
import { checkCallback } from "@/lib/inspector/callback";
import type { AuthMethod } from "@/lib/inspector/errors";
import { CALLBACK_PARAMS, explain } from "@/lib/inspector/explanations";
import { formPost, shown } from "@/lib/inspector/http";
import { endpointUrl } from "@/lib/oauth/endpoints";
import { currentRun } from "../server";
import { inspectorStepAction } from "../actions";

export const metadata: Metadata = { title: "Flow inspector: callback" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function InspectorCallbackPage({ searchParams }: Props) {
  const q = await searchParams;
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (typeof v === "string") query.set(k, v);
  const here = `${CALLBACK_PATH}${query.size ? `?${query}` : ""}`;
  const session = await requireDashboardUser(here);
  const run = await currentRun(session);

  if (!run) {
    return (
      <PortalShell current="dashboard" {...portalShellProps(session)}>
        <div className="mx-auto flex max-w-xl flex-col gap-4">
          <h1 className="text-2xl font-semibold tracking-tight text-neutral-900">No inspector run in progress</h1>
          <Alert tone="info">
            This is the flow inspector&apos;s redirect URI, but this browser has no run to match the response to: runs last 10 minutes, and
            belong to the browser and the account that started them. Start again from a client&apos;s Try page.
          </Alert>
          <Link href="/dashboard/clients" className="text-sm font-medium text-brand-700 hover:underline">
            Go to your clients
          </Link>
        </div>
      </PortalShell>
    );
  }

  const { client } = await requireClientAccess(run.clientRowId, here);
  const issuer = getConfig().issuer;
  const result = checkCallback(query, { state: run.state, issuer });
  const received = [...query.entries()].map(([name, value]) => ({ name, value, meaning: explain(CALLBACK_PARAMS, name) }));
  const confidential = client.tokenEndpointAuthMethod !== "none";
  const preview = shown(
    formPost(endpointUrl(issuer, "token"), { clientId: client.clientId, method: client.tokenEndpointAuthMethod as AuthMethod, secret: "" }, [
      ["grant_type", "authorization_code"],
      ["code", result.code ?? ""],
      ["redirect_uri", run.redirectUri],
      ["code_verifier", run.codeVerifier],
    ]),
  ).raw;
  const tryHref = `/dashboard/clients/${client.id}/try`;

  return (
    <PortalShell current="dashboard" {...portalShellProps(session)}>
      <div className="flex flex-col gap-6">
        <InspectorHeading clientName={client.name}>
          <p className="mt-1 text-sm">
            <Link href={tryHref} className="font-medium text-brand-700 hover:underline">
              Back to step A (start a new run)
            </Link>
          </p>
        </InspectorHeading>
        <FlowOverview current={result.proceed ? "D" : "C"} />
        <Step letter="A" title="Authorization request: sent" status="done">
          <p>
            Scopes asked for: <code className="font-mono text-xs">{run.scope.join(" ")}</code>
          </p>
        </Step>
        <Step letter="B" title="Sign-in and consent: done on Latchkey's pages" status={result.error ? "failed" : "done"} />
        <Step letter="C" title="The redirect back" status={result.proceed ? "done" : "failed"}>
          <p>Latchkey sent the browser here:</p>
          <CodeBlock label="The redirect URL">{`${issuer}${here}`}</CodeBlock>
          <ExplainedList items={received} label="Parameters received" />
          <Checks items={result.checks} label="Checks on the redirect" />
          {result.error ? (
            <Alert tone="error" title={`The authorization failed: ${result.error.code}`}>
              {result.error.explanation}
            </Alert>
          ) : null}
          {!result.error && !result.proceed ? (
            <Alert tone="error" title="A real client stops here">
              The redirect failed a check above, so its code must not be used.
            </Alert>
          ) : null}
        </Step>
        {result.proceed && result.code ? (
          <TokenSteps action={inspectorStepAction} code={result.code} confidential={confidential} authMethod={client.tokenEndpointAuthMethod} preview={preview} />
        ) : (
          <Card>
            <p className="text-sm text-neutral-600">
              Steps D and E need a valid redirect with a code.{" "}
              <Link href={tryHref} className="font-medium text-brand-700 hover:underline">
                Start a new run
              </Link>
              .
            </p>
          </Card>
        )}
      </div>
    </PortalShell>
  );
}
