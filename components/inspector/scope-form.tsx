"use client";
// Step A's form: which of the client's scopes to ask for. Posting it prepares fresh values
// (state, nonce, PKCE verifier) on the server.
import { useActionState } from "react";
import { Alert, Button } from "@/components/ui";
import type { TryActionState } from "./try-state";
import type { ApiOption } from "@/lib/inspector/api-choice";
import { qualifyScope } from "@/lib/oauth/resources";

type Action = (prev: TryActionState, form: FormData) => Promise<TryActionState>;

const initial: TryActionState = { error: null };

export function ScopeForm({ action: startRun, clientRowId, scopes, selected, started, apis = [], selectedApi = "", defaultApiName = null }: {
  action: Action;
  clientRowId: string;
  scopes: { name: string; meaning: string }[];
  /** Portal scopes by name; API scopes qualified (`<identifier>\\<scope>`, as posted). */
  selected: string[];
  started: boolean;
  /** The APIs the token may be for (RFC 8707 resource), each with its scopes. */
  apis?: ApiOption[];
  /** The chosen API's id; "" for none. */
  selectedApi?: string;
  /** The client's default API: the server's choice when none is sent. */
  defaultApiName?: string | null;
}) {
  const [state, action, pending] = useActionState(startRun, initial);
  return (
    <form action={action} className="flex flex-col gap-3">
      <input type="hidden" name="client" value={clientRowId} />
      <fieldset>
        <legend className="mb-2 font-medium text-neutral-800">Scopes to ask for</legend>
        <div className="flex flex-col gap-2">
          {scopes.map((s) => (
            <label key={s.name} className="flex items-start gap-2">
              <input type="checkbox" name="scope" value={s.name} defaultChecked={selected.includes(s.name)} className="mt-0.5 size-4 accent-brand-600" />
              <span>
                <span className="font-mono text-xs font-semibold text-neutral-900">{s.name}</span>
                <span className="block text-xs text-neutral-600">{s.meaning}</span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>
      {apis.length ? (
        <div className="flex flex-col gap-1.5">
          <label htmlFor="field-api" className="font-medium text-neutral-800">
            API the access token is for
          </label>
          <select
            id="field-api"
            name="api"
            defaultValue={selectedApi}
            aria-describedby="field-api-hint"
            className="h-10 w-full rounded-lg border border-neutral-300 bg-white px-3 text-sm text-neutral-900 shadow-sm focus:border-brand-600 focus:ring-2 focus:ring-brand-500/30 focus:outline-none sm:max-w-md"
          >
            <option value="">{defaultApiName ? `None sent (the client's default: ${defaultApiName})` : "None (a token for UserInfo only)"}</option>
            {apis.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name} ({a.identifier})
              </option>
            ))}
          </select>
          <p id="field-api-hint" className="text-xs text-neutral-600">
            Sent as the resource parameter (RFC 8707): the access token&apos;s audience is this API. Tick only the chosen API&apos;s scopes.
          </p>
          {apis
            .filter((a) => a.scopes.length)
            .map((a) => (
              <fieldset key={a.id} className="mt-2">
                <legend className="mb-2 font-medium text-neutral-800">Scopes of {a.name}</legend>
                <div className="flex flex-col gap-2">
                  {a.scopes.map((sc) => {
                    const value = qualifyScope(a.identifier, sc.name);
                    return (
                      <label key={value} className="flex items-start gap-2">
                        <input type="checkbox" name="scope" value={value} defaultChecked={selected.includes(value)} className="mt-0.5 size-4 accent-brand-600" />
                        <span>
                          <span className="font-mono text-xs font-semibold text-neutral-900">{sc.name}</span>
                          <span className="block text-xs text-neutral-600">{sc.description}</span>
                        </span>
                      </label>
                    );
                  })}
                </div>
              </fieldset>
            ))}
        </div>
      ) : null}
      <div aria-live="polite" className="empty:hidden">
        {state.error ? <Alert tone="error">{state.error}</Alert> : null}
      </div>
      <div>
        <Button type="submit" variant={started ? "secondary" : "primary"} pending={pending}>
          {started ? "Start over with new values" : "Prepare the authorization request"}
        </Button>
      </div>
    </form>
  );
}
