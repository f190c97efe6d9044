"use client";
// The consent decision: only the request id and the pressed button are sent; everything else
// is re-read on the server from the stored request. Errors are announced in an aria-live region.
import { useActionState } from "react";
import { Alert, Button } from "@/components/ui";

/** What the consent action answers (app/consent/actions.ts). */
export type ConsentActionState = { error: string | null };

type Action = (prev: ConsentActionState, form: FormData) => Promise<ConsentActionState>;

const initial: ConsentActionState = { error: null };

export function ConsentForm({ action: decide, requestId }: { action: Action; requestId: string }) {
  const [state, action, pending] = useActionState(decide, initial);
  return (
    <form action={action} className="flex flex-col gap-4">
      <input type="hidden" name="request" value={requestId} />
      <div aria-live="polite" className="empty:hidden">
        {state.error ? <Alert tone="error">{state.error}</Alert> : null}
      </div>
      <div className="flex flex-col gap-3 sm:flex-row-reverse">
        <Button type="submit" name="decision" value="allow" block disabled={pending} aria-busy={pending || undefined}>
          Allow
        </Button>
        <Button type="submit" name="decision" value="deny" variant="secondary" block disabled={pending}>
          Deny
        </Button>
      </div>
    </form>
  );
}
