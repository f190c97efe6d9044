"use client";
// The API page's test token: pick one of your clients that may ask for the API and the scopes;
// the token (a real one, recorded and audited) comes back once, with a curl command to call the
// API with it.
import { useActionState } from "react";
import { Alert, Button } from "@/components/ui";
import { curlSnippet } from "@/lib/dashboard/api-snippets";
import type { TestTokenState } from "./action-states";
import { CodeBlock } from "./code-block";
import { ChoiceGroup } from "./form-controls";

type Action = (prev: TestTokenState, form: FormData) => Promise<TestTokenState>;

export function TestTokenForm({
  action,
  apiId,
  clients,
  scopes,
  apiUrl,
}: {
  action: Action;
  apiId: string;
  clients: { id: string; name: string; clientId: string }[];
  scopes: { name: string; description: string }[];
  /** Where the curl command calls the API. */
  apiUrl: string;
}) {
  const [state, formAction, pending] = useActionState(action, {});
  return (
    <div className="flex flex-col gap-5">
      <form action={formAction} className="flex flex-col gap-5">
        <input type="hidden" name="api" value={apiId} />
        <ChoiceGroup
          legend="Client"
          name="client"
          type="radio"
          selected={clients[0] ? [clients[0].id] : []}
          hint="The token is issued to this client, as client_credentials would: its sub and client_id are the client's."
          choices={clients.map((c) => ({ value: c.id, label: c.name, hint: <span className="break-all font-mono">{c.clientId}</span> }))}
        />
        {scopes.length > 0 ? (
          <ChoiceGroup
            legend="Scopes"
            name="scope"
            inline
            selected={scopes.map((s) => s.name)}
            choices={scopes.map((s) => ({ value: s.name, label: <span className="break-all font-mono">{s.name}</span> }))}
          />
        ) : null}
        <div>
          <Button type="submit" variant="secondary" pending={pending}>
            Get a test token
          </Button>
        </div>
      </form>
      <div aria-live="polite" className="flex flex-col gap-4 empty:hidden" data-testid="test-token">
        {state.error ? <Alert tone="error">{state.error}</Alert> : null}
        {state.token ? (
          <>
            <Alert tone="warning" title="Copy the token now">
              Shown only this once. It is for {state.token.clientName}
              {state.token.scope.length ? ` with ${state.token.scope.join(" ")}` : " with no scope"} and expires in{" "}
              {state.token.expiresIn} seconds. Anyone who has it can call your API until then.
            </Alert>
            <CodeBlock title="Access token" code={state.token.accessToken} />
            <CodeBlock title="Call your API" code={curlSnippet(apiUrl, state.token.accessToken)} />
          </>
        ) : null}
      </div>
    </div>
  );
}
