"use client";
// Step A's form: which of the client's scopes to ask for. Posting it prepares fresh values
// (state, nonce, PKCE verifier) on the server.
import { useActionState } from "react";
import { Alert, Button } from "@/components/ui";
import type { TryActionState } from "./try-state";

type Action = (prev: TryActionState, form: FormData) => Promise<TryActionState>;

const initial: TryActionState = { error: null };

export function ScopeForm({ action: startRun, clientRowId, scopes, selected, started }: {
  action: Action;
  clientRowId: string;
  scopes: { name: string; meaning: string }[];
  selected: string[];
  started: boolean;
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
