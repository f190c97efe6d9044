"use client";
// One click: add the inspector's callback to the client's redirect URIs (audited on the server).
import { useActionState } from "react";
import { Alert, Button } from "@/components/ui";
import type { TryActionState } from "./try-state";

type Action = (prev: TryActionState, form: FormData) => Promise<TryActionState>;

const initial: TryActionState = { error: null };

export function AddCallbackForm({ action: addCallback, clientRowId }: { action: Action; clientRowId: string }) {
  const [state, action, pending] = useActionState(addCallback, initial);
  return (
    <form action={action} className="flex flex-col gap-2">
      <input type="hidden" name="client" value={clientRowId} />
      <div aria-live="polite" className="empty:hidden">
        {state.error ? <Alert tone="error">{state.error}</Alert> : null}
      </div>
      <div>
        <Button type="submit" pending={pending}>
          Add the callback to the redirect URIs
        </Button>
      </div>
    </form>
  );
}
