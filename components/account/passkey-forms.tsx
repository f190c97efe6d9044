"use client";
// Rename and remove one passkey: plain forms bound to server actions, so they work without
// JavaScript. Remove asks first (ConfirmStep: a second POST with confirmed=yes).
import { useActionState } from "react";
import { Alert, Button, ConfirmStep, Field, useFocusAfterConfirm } from "@/components/ui";
import type { PasskeyFormState } from "./passkey-types";

type Action = (prev: PasskeyFormState, form: FormData) => Promise<PasskeyFormState>;

export function RenamePasskeyForm({ action, id, name }: { action: Action; id: string; name: string }) {
  const [state, formAction, pending] = useActionState(action, {});
  return (
    // A new key per answer: React resets a form after its action; this keeps what was typed.
    <form key={JSON.stringify(state)} action={formAction} className="flex flex-col gap-2 sm:flex-row sm:items-end" noValidate>
      <input type="hidden" name="passkey" value={id} />
      <div className="grow">
        <Field id={`passkey-name-${id}`} label={`New name for ${name}`} name="name" defaultValue={state.name ?? name} maxLength={64} required error={state.error} autoComplete="off" />
      </div>
      <Button type="submit" variant="secondary" pending={pending}>
        Rename
      </Button>
    </form>
  );
}

export function RemovePasskeyForm({ action, id, name, last }: { action: Action; id: string; name: string; last: boolean }) {
  const [state, formAction, pending] = useActionState(action, {});
  const asking = Boolean(state.needsConfirmation);
  const opener = useFocusAfterConfirm(asking);
  return (
    <form action={formAction} className="flex flex-col gap-2">
      <input type="hidden" name="passkey" value={id} />
      {asking ? (
        <ConfirmStep yes="Yes, remove passkey" pending={pending} label={`Confirm removing ${name}`}>
          Remove “{name}”? You will no longer be able to sign in with it.
          {last ? " It is your only passkey: you will sign in with your password." : ""} The device may still list it; you can delete it there too.
        </ConfirmStep>
      ) : (
        <div>
          <Button ref={opener} type="submit" variant="danger" size="sm" pending={pending} aria-label={`Remove ${name}`}>
            Remove
          </Button>
        </div>
      )}
      <div aria-live="polite" className="empty:hidden">
        {state.error ? <Alert tone="error">{state.error}</Alert> : null}
      </div>
    </form>
  );
}
