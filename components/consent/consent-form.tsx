"use client";
// The consent decision: only the request id and the pressed button are sent; everything else
// is re-read on the server from the stored request. Errors are announced in an aria-live region.
// A request answered by response_mode=form_post continues at a protocol endpoint (a route
// handler Next's client router cannot show after an action): with scripts running, the action
// names it and the form makes a full navigation there; without, the action's 303 goes there.
import { useActionState, useEffect } from "react";
import { Alert, Button } from "@/components/ui";

/** What the consent action answers (app/consent/actions.ts). */
export type ConsentActionState = { error: string | null; redirectTo?: string };

type Action = (prev: ConsentActionState, form: FormData) => Promise<ConsentActionState>;

const initial: ConsentActionState = { error: null };

export function ConsentForm({ action: decide, requestId }: { action: Action; requestId: string }) {
  const [state, action, pending] = useActionState(decide, initial);
  useEffect(() => {
    if (state.redirectTo) window.location.assign(state.redirectTo);
  }, [state.redirectTo]);
  const busy = pending || Boolean(state.redirectTo);
  return (
    <form action={action} className="flex flex-col gap-4">
      <input type="hidden" name="request" value={requestId} />
      <div aria-live="polite" className="empty:hidden">
        {state.error ? <Alert tone="error">{state.error}</Alert> : null}
      </div>
      <div className="flex flex-col gap-3 sm:flex-row-reverse">
        <Button type="submit" name="decision" value="allow" block disabled={busy} aria-busy={busy || undefined}>
          Allow
        </Button>
        <Button type="submit" name="decision" value="deny" variant="secondary" block disabled={busy}>
          Deny
        </Button>
      </div>
    </form>
  );
}
