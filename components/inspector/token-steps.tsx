"use client";
// Steps D and E and the calls after them. One form: the client secret is typed once into its
// field and sent with each request that needs it (never stored anywhere); the pressed button
// says which request to send. Results are appended in order and announced politely.
// Submitted by hand (not <form action>), because React resets a form after its action ran,
// and the secret must stay in its field for the next request. So it needs JavaScript: without
// it the page says so (noscript), and a native submit is a POST, never a GET with the secret.
import { startTransition, useActionState, type FormEvent } from "react";
import { Alert, Button, Field } from "@/components/ui";
import type { Exchange } from "@/lib/inspector/run";
import type { ApiStep } from "@/lib/inspector/api-check";
import { Checks } from "./checks";
import { CodeBlock } from "./code-block";
import { HttpExchange } from "./http-exchange";
import { Step } from "./step";

/** What the inspector's step action answers (app/dashboard/inspector/actions.ts). */
export type StepResult = { exchanges: Exchange[]; error: string | null; have: { access: boolean; refresh: boolean }; api: ApiStep | null };

type Op = "redeem" | "userinfo" | "refresh" | "revoke";
type Tagged = Exchange & { op: Op };
type State = { exchanges: Tagged[]; error: string | null; have: { access: boolean; refresh: boolean }; last: string | null; api: ApiStep | null };

const initial: State = { exchanges: [], error: null, have: { access: false, refresh: false }, last: null, api: null };

export function TokenSteps({ action: step, code, confidential, authMethod, preview }: {
  action: (form: FormData) => Promise<StepResult>;
  code: string;
  confidential: boolean;
  authMethod: string;
  preview: string;
}) {
  const [state, action, pending] = useActionState(async (prev: State, form: FormData): Promise<State> => {
    const op = form.get("op") as Op;
    const r = await step(form);
    const added = r.exchanges.map((e) => ({ ...e, op }));
    const last = r.error ?? added.map((e) => `${e.title}: ${e.response.status} ${e.response.statusText}`).join(". ");
    // The API step follows the newest access token (after the code, after each refresh).
    return { exchanges: [...prev.exchanges, ...added], error: r.error, have: r.error ? prev.have : r.have, last, api: r.api ?? prev.api };
  }, initial);

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const submitter = (e.nativeEvent as SubmitEvent).submitter;
    const form = new FormData(e.currentTarget, submitter);
    startTransition(() => action(form));
  }

  const redeemed = state.exchanges.filter((e) => e.op === "redeem");
  const success = redeemed.find((e) => e.ok);
  const later = state.exchanges.filter((e) => e.op !== "redeem");

  return (
    // method="post": should the form ever be submitted natively (scripts not loaded yet, or off),
    // the typed secret goes in a request body, never into the URL as a GET form would put it.
    <form method="post" onSubmit={submit} className="flex flex-col gap-6">
      <noscript>
        <Alert tone="warning" title="The flow inspector needs JavaScript">
          It sends each request from this page and shows the answers here, step by step. Turn JavaScript on for this site to use it.
        </Alert>
      </noscript>
      <input type="hidden" name="code" value={code} />
      <Step letter="D" title="Token request: the client trades the code for tokens" status={success ? "done" : "current"}>
        <p>
          The client calls the token endpoint directly, server to server (RFC 6749 §4.1.3), with the code, the same redirect_uri and the
          PKCE code_verifier. It authenticates with <code className="font-mono">{authMethod}</code>.
        </p>
        <CodeBlock label="The token request that will be sent">{preview}</CodeBlock>
        {confidential ? (
          <Field
            label="Client secret"
            name="client_secret"
            type="password"
            autoComplete="off"
            spellCheck={false}
            hint="Sent with each request below and never stored: not in a cookie, not in the database, not in a URL. Shown masked above."
          />
        ) : (
          <p className="text-neutral-600">A public client has no secret: it sends its client_id, and PKCE proves the code is its own.</p>
        )}
        {!success ? (
          <div>
            <Button type="submit" name="op" value="redeem" pending={pending}>
              Send the token request
            </Button>
          </div>
        ) : null}
        {redeemed
          .filter((e) => !e.ok)
          .map((e) => (
            <HttpExchange key={e.id} exchange={e} />
          ))}
      </Step>

      <Step letter="E" title="Token response: the tokens, decoded and verified" status={success ? "done" : "todo"}>
        {success ? <HttpExchange exchange={success} /> : <p className="text-neutral-500">The response appears here once the token request succeeds.</p>}
      </Step>

      {success && state.api ? (
        <Step letter="F" title="The API: what its validator checks before it answers" status={state.api.checks.every((c) => c.ok) ? "done" : "failed"}>
          <p>
            The client calls <code className="break-all font-mono">{state.api.identifier}</code> with the access token. The API checks it
            itself, as RFC 9068 §4 says, against the keys in Latchkey&apos;s JWKS (checked here the same way, locally):
          </p>
          <Checks items={state.api.checks} label="What the API's validator checks" />
          <p className="text-neutral-600">
            A local check cannot see a revocation: an API that must know at once asks the introspection endpoint (RFC 7662) with its own credentials.
          </p>
          {state.api.curl ? (
            <CodeBlock label="Call the API with this token">{state.api.curl}</CodeBlock>
          ) : (
            <p className="text-neutral-600">This API&apos;s identifier is not a URL: call the API where it is served, with the header Authorization: Bearer and the token.</p>
          )}
        </Step>
      ) : null}

      {success ? (
        <section aria-labelledby="then-title" className="rounded-xl border border-neutral-200 bg-white p-4 shadow-sm sm:p-6">
          <h2 id="then-title" className="text-base font-semibold text-neutral-900">
            Then: use, refresh and revoke the tokens
          </h2>
          <p className="mt-1 text-sm text-neutral-600">Each button sends one real request and shows it below, oldest first.</p>
          <div className="mt-4 flex flex-col gap-3 sm:flex-row sm:flex-wrap sm:items-center">
            <Button type="submit" name="op" value="userinfo" variant="secondary" pending={pending} disabled={!state.have.access}>
              Call UserInfo
            </Button>
            <Button type="submit" name="op" value="refresh" variant="secondary" pending={pending} disabled={!state.have.refresh}>
              Refresh the tokens
            </Button>
            <fieldset className="flex flex-wrap items-center gap-3 rounded-lg border border-neutral-200 px-3 py-2">
              <legend className="sr-only">Token to revoke</legend>
              <label className="flex items-center gap-1.5 text-sm">
                <input type="radio" name="token" value="access_token" defaultChecked className="size-4 accent-brand-600" /> Access token
              </label>
              <label className="flex items-center gap-1.5 text-sm">
                <input type="radio" name="token" value="refresh_token" disabled={!state.have.refresh} className="size-4 accent-brand-600" /> Refresh token
              </label>
              <Button type="submit" name="op" value="revoke" variant="danger" size="sm" pending={pending}>
                Revoke
              </Button>
            </fieldset>
          </div>
          {!state.have.refresh ? (
            <p className="mt-2 text-xs text-neutral-600">No refresh token: ask for the offline_access scope in step A (and allow the refresh_token grant) to get one.</p>
          ) : null}
          <div className="mt-6 flex flex-col gap-8">
            {later.map((e) => (
              <HttpExchange key={e.id} exchange={e} />
            ))}
          </div>
        </section>
      ) : null}

      <div aria-live="polite" className="empty:hidden">
        {state.error ? <Alert tone="error">{state.error}</Alert> : null}
      </div>
      <p aria-live="polite" className="sr-only">
        {state.error ? "" : (state.last ?? "")}
      </p>
    </form>
  );
}
