"use client";
// "Turn off" the authenticator app: a confirm step that says what happens and asks for the
// password or a current code. Both steps are posts of one form, so it works without JavaScript.
import { useActionState } from "react";
import { Alert, Button, ConfirmStep, Field, useFocusAfterConfirm } from "@/components/ui";

/** What the turn-off action answers (app/account/security/actions.ts). */
export type DisableTotpState = { error?: string; needsConfirmation?: boolean };

type Action = (prev: DisableTotpState, form: FormData) => Promise<DisableTotpState>;

export function DisableTotpForm({ action, policyRequires }: { action: Action; policyRequires: boolean }) {
  const [state, formAction, pending] = useActionState(action, {});
  const opener = useFocusAfterConfirm(Boolean(state.needsConfirmation));
  return (
    <form key={JSON.stringify(state)} action={formAction} className="flex flex-col gap-3">
      {state.needsConfirmation ? (
        <ConfirmStep yes="Yes, turn it off" pending={pending} label="Confirm turning off two-step verification">
          <div className="flex flex-col gap-3">
            <p>
              Turn off two-step verification? Signing in will ask only for your password, and your recovery codes stop working (unless you have a passkey).
              {policyRequires ? " Your organisation requires a second step: you will have to set one up again at your next sign-in." : ""}
            </p>
            <Field label="Password or code from your app" name="proof" type="password" autoComplete="current-password" required error={state.error} />
          </div>
        </ConfirmStep>
      ) : (
        <div>
          <Button ref={opener} type="submit" variant="secondary" size="sm" pending={pending}>
            Turn off
          </Button>
        </div>
      )}
      <div aria-live="polite" className="empty:hidden">
        {state.error && !state.needsConfirmation ? <Alert tone="error">{state.error}</Alert> : null}
      </div>
    </form>
  );
}
