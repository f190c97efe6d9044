"use client";
// Rotate the client secret. The developer picks how long the current secret keeps working;
// the new one is shown once, in this form's result. "No time: stops now" asks first.
import { useActionState } from "react";
import { Alert, Button, ConfirmStep } from "@/components/ui";
import type { SecretState } from "./action-states";
import { ChoiceGroup } from "./form-controls";
import { SecretOnce } from "./secret-once";

type Action = (prev: SecretState, form: FormData) => Promise<SecretState>;

export function RotateSecretForm({ action, clientRowId }: { action: Action; clientRowId: string }) {
  const [state, formAction, pending] = useActionState(action, {});
  return (
    <div className="flex flex-col gap-4">
      <div aria-live="polite" className="empty:hidden">
        {state.error ? <Alert tone="error">{state.error}</Alert> : null}
        {state.secret ? <SecretOnce secret={state.secret} title="New client secret" /> : null}
      </div>
      <form action={formAction} className="flex flex-col gap-4">
        <input type="hidden" name="client" value={clientRowId} />
        {state.needsConfirmation ? (
          <>
            <input type="hidden" name="grace" value="none" />
            <ConfirmStep yes="Yes, rotate now" pending={pending} label="Confirm rotating the secret with no grace period">
              Rotate the secret with no grace period? The current secret stops working now: your app cannot get tokens until it
              uses the new one. Pick a grace period instead to deploy the new secret first.
            </ConfirmStep>
          </>
        ) : (
          <>
        <ChoiceGroup
          legend="Keep the current secret working for"
          name="grace"
          type="radio"
          inline
          selected={["24h"]}
          choices={[
            { value: "none", label: "No time: stops now" },
            { value: "1h", label: "1 hour" },
            { value: "24h", label: "24 hours" },
            { value: "7d", label: "7 days" },
          ]}
          hint="Time to deploy the new secret before the old one stops working."
        />
        <div>
          <Button type="submit" variant="secondary" pending={pending}>
            Rotate secret
          </Button>
        </div>
          </>
        )}
      </form>
    </div>
  );
}
