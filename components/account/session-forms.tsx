"use client";
// The sessions list's buttons: sign out one browser, or every browser but this one.
import { useActionState } from "react";
import { Alert, Button } from "@/components/ui";

/** What the session actions answer (app/account/sessions/actions.ts). */
export type SessionActionState = { error?: string };

type Action = (prev: SessionActionState, form: FormData) => Promise<SessionActionState>;

export function SignOutSessionButton({ action, handle, device }: { action: Action; handle: string; device: string }) {
  const [state, formAction, pending] = useActionState(action, {});
  return (
    <form action={formAction} className="flex flex-col gap-2 sm:items-end">
      <input type="hidden" name="session" value={handle} />
      <Button type="submit" variant="secondary" size="sm" pending={pending} aria-label={`Sign out ${device}`}>
        Sign out
      </Button>
      <div aria-live="polite" className="empty:hidden">
        {state.error ? <Alert tone="error">{state.error}</Alert> : null}
      </div>
    </form>
  );
}

export function SignOutOthersButton({ action }: { action: Action }) {
  const [state, formAction, pending] = useActionState(action, {});
  return (
    <form action={formAction} className="flex flex-col gap-2">
      <div>
        <Button type="submit" variant="danger" size="sm" pending={pending}>
          Sign out all other sessions
        </Button>
      </div>
      <div aria-live="polite" className="empty:hidden">
        {state.error ? <Alert tone="error">{state.error}</Alert> : null}
      </div>
    </form>
  );
}
