"use client";
// The API page's two actions that break something at once, each asking first (ConfirmStep, two
// plain POSTs, so it works without JavaScript): rotating the API's secret (the old one stops at
// once; the new one is shown once) and deleting the API.
import { useActionState } from "react";
import { Alert, Button, ConfirmStep, useFocusAfterConfirm } from "@/components/ui";
import type { ApiConfirmState } from "./action-states";
import { SecretOnce } from "./secret-once";

type Action = (prev: ApiConfirmState, form: FormData) => Promise<ApiConfirmState>;

export function RotateApiSecretForm({ action, apiId }: { action: Action; apiId: string }) {
  const [state, formAction, pending] = useActionState(action, {});
  const asking = Boolean(state.needsConfirmation);
  const opener = useFocusAfterConfirm(asking);
  return (
    <div className="flex flex-col gap-4">
      <div aria-live="polite" className="empty:hidden">
        {state.error ? <Alert tone="error">{state.error}</Alert> : null}
        {state.secret ? <SecretOnce secret={state.secret} title="New API client secret" /> : null}
      </div>
      <form action={formAction} className="flex flex-col items-start gap-3">
        <input type="hidden" name="api" value={apiId} />
        {asking ? (
          <ConfirmStep yes="Yes, rotate now" pending={pending} label="Confirm rotating the API's secret">
            Rotate the secret? The current one stops working now: your API cannot call the introspection endpoint until it uses
            the new one.
          </ConfirmStep>
        ) : (
          <Button ref={opener} type="submit" variant="secondary" pending={pending}>
            Rotate secret
          </Button>
        )}
      </form>
    </div>
  );
}

export function DeleteApiForm({ action, apiId, apiName }: { action: Action; apiId: string; apiName: string }) {
  const [state, formAction, pending] = useActionState(action, {});
  const asking = Boolean(state.needsConfirmation);
  const opener = useFocusAfterConfirm(asking);
  return (
    <form action={formAction} className="flex flex-col items-start gap-3">
      <input type="hidden" name="api" value={apiId} />
      <div aria-live="polite" className="empty:hidden">
        {state.error ? <Alert tone="error">{state.error}</Alert> : null}
      </div>
      {asking ? (
        <ConfirmStep yes="Yes, delete API" pending={pending} label={`Confirm deleting ${apiName}`}>
          Delete <span className="font-semibold">{apiName}</span>? Apps can no longer get tokens for it, and its credentials stop
          working. Tokens already issued stay valid until they expire. This cannot be undone.
        </ConfirmStep>
      ) : (
        <Button ref={opener} type="submit" variant="danger" pending={pending}>
          Delete API
        </Button>
      )}
    </form>
  );
}
