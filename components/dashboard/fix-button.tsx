"use client";
// One scorecard fix, in one click (a server action that checks ownership again).
import { useActionState } from "react";
import { Alert, Button } from "@/components/ui";
import type { SecretState } from "./action-states";
import { SecretOnce } from "./secret-once";

type Action = (prev: SecretState, form: FormData) => Promise<SecretState>;

export function FixButton({ action, clientRowId, fix, label }: { action: Action; clientRowId: string; fix: string; label: string }) {
  const [state, formAction, pending] = useActionState(action, {});
  return (
    <div className="flex flex-col gap-2">
      <form action={formAction}>
        <input type="hidden" name="client" value={clientRowId} />
        <input type="hidden" name="fix" value={fix} />
        <Button type="submit" size="sm" variant="secondary" pending={pending}>
          {label}
        </Button>
      </form>
      <div aria-live="polite" className="empty:hidden">
        {state.error ? <Alert tone="error">{state.error}</Alert> : null}
        {state.secret ? <SecretOnce secret={state.secret} title="New client secret" /> : null}
      </div>
    </div>
  );
}
