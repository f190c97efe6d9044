"use client";
// "Revoke access", then a confirm step that says what happens. Both are posts of one form (the
// action asks until it gets confirmed=yes), so it works the same without JavaScript.
import { useActionState } from "react";
import { Alert, Button, ConfirmStep, useFocusAfterConfirm } from "@/components/ui";

/** What the revoke action answers (app/account/apps/actions.ts). */
export type RevokeAppState = { error?: string; needsConfirmation?: boolean };

type Action = (prev: RevokeAppState, form: FormData) => Promise<RevokeAppState>;

export function RevokeAppButton({ action, clientId, appName }: { action: Action; clientId: string; appName: string }) {
  const [state, formAction, pending] = useActionState(action, {});
  const opener = useFocusAfterConfirm(Boolean(state.needsConfirmation));
  return (
    <div className="flex flex-col gap-3">
      <div aria-live="polite" className="empty:hidden">
        {state.error ? <Alert tone="error">{state.error}</Alert> : null}
      </div>
      <form action={formAction}>
        <input type="hidden" name="client" value={clientId} />
        {state.needsConfirmation ? (
          <ConfirmStep yes="Yes, revoke access" pending={pending} label={`Confirm revoking ${appName}`}>
            <p>
              Revoke access for <span className="font-semibold break-words">{appName}</span>? It loses access to your account at once
              and is signed out. You can connect it again later.
            </p>
          </ConfirmStep>
        ) : (
          <Button ref={opener} type="submit" variant="secondary" size="sm" pending={pending}>
            Revoke access
          </Button>
        )}
      </form>
    </div>
  );
}
