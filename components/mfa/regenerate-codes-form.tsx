"use client";
// "Make new recovery codes": a confirm step (the old codes stop working), then the new codes,
// shown once. Both steps are posts of one form, so it works without JavaScript.
import { useActionState } from "react";
import { Alert, Button, ConfirmStep, useFocusAfterConfirm } from "@/components/ui";
import { RecoveryCodesList } from "./recovery-codes-list";

/** What the regenerate action answers (app/account/security/actions.ts). */
export type RegenerateCodesState = { error?: string; needsConfirmation?: boolean; codes?: string[] };

type Action = (prev: RegenerateCodesState, form: FormData) => Promise<RegenerateCodesState>;

export function RegenerateCodesForm({ action }: { action: Action }) {
  const [state, formAction, pending] = useActionState(action, {});
  const opener = useFocusAfterConfirm(Boolean(state.needsConfirmation));
  if (state.codes) return <RecoveryCodesList codes={state.codes} />;
  return (
    <form action={formAction} className="flex flex-col gap-3">
      {state.needsConfirmation ? (
        <ConfirmStep yes="Yes, make new codes" pending={pending} label="Confirm making new recovery codes">
          <p>Make ten new recovery codes? Your current codes stop working at once.</p>
        </ConfirmStep>
      ) : (
        <div>
          <Button ref={opener} type="submit" variant="secondary" size="sm" pending={pending}>
            Make new recovery codes
          </Button>
        </div>
      )}
      <div aria-live="polite" className="empty:hidden">
        {state.error ? <Alert tone="error">{state.error}</Alert> : null}
      </div>
    </form>
  );
}
