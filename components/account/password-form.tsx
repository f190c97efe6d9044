"use client";
// Change password: the current one, then a new one. Errors come back inline from the action.
import { useActionState } from "react";
import { Alert, Button, Field } from "@/components/ui";
import type { PasswordState } from "@/app/account/password/actions";

type Action = (prev: PasswordState, form: FormData) => Promise<PasswordState>;

export function PasswordForm({ action, email, minPasswordLength }: { action: Action; email: string; minPasswordLength: number }) {
  const [state, formAction, pending] = useActionState(action, {});
  const e = state.fieldErrors ?? {};
  return (
    <form action={formAction} className="flex max-w-lg flex-col gap-5" noValidate>
      <div aria-live="polite" className="empty:-mb-5">
        {state.formError ? <Alert tone="error">{state.formError}</Alert> : null}
      </div>
      {/* Lets password managers file the new password under the right account. */}
      <input type="text" name="username" autoComplete="username" value={email} readOnly hidden />
      <Field label="Current password" name="currentPassword" type="password" autoComplete="current-password" required error={e.currentPassword} />
      <Field
        label="New password"
        name="newPassword"
        type="password"
        autoComplete="new-password"
        required
        minLength={minPasswordLength}
        hint={`At least ${minPasswordLength} characters. A passphrase of a few words works well.`}
        error={e.newPassword}
      />
      <div className="flex items-start gap-2">
        <input id="field-keepApps" type="checkbox" name="keepApps" value="yes" aria-describedby="field-keepApps-hint" className="mt-0.5 size-4 accent-brand-600" />
        <div className="text-sm">
          <label htmlFor="field-keepApps" className="font-medium text-neutral-800">
            Keep my connected apps signed in
          </label>
          <p id="field-keepApps-hint" className="text-xs text-neutral-600">
            Unticked, every app you have allowed is signed out and must ask you again. Leave it unticked if someone else may know your old password.
          </p>
        </div>
      </div>
      <div>
        <Button type="submit" pending={pending}>
          Change password
        </Button>
      </div>
    </form>
  );
}
