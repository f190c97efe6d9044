"use client";
// Change password: the current one, then a new one. A server action bound to the form (a plain
// POST without JavaScript). Errors come back per field into an error summary that takes the
// focus; what was typed stays in the fields when scripts run (remembered in this browser only:
// the server never sends a password back in a page).
import { useActionState, useState } from "react";
import { Button, ErrorSummary, Field } from "@/components/ui";
import type { PasswordChangeFieldErrors } from "@/lib/auth/password-change";

/** What the change-password action answers (app/account/password/actions.ts). */
export type PasswordState = { fieldErrors?: PasswordChangeFieldErrors; formError?: string };

type Action = (prev: PasswordState, form: FormData) => Promise<PasswordState>;

const LABELS = { currentPassword: "Current password", newPassword: "New password" } as const;

export function PasswordForm({ action, email, minPasswordLength }: { action: Action; email: string; minPasswordLength: number }) {
  const [state, formAction, pending] = useActionState(action, {});
  const [typed, setTyped] = useState({ currentPassword: "", newPassword: "" });
  const e = state.fieldErrors ?? {};
  const items = (Object.keys(LABELS) as (keyof typeof LABELS)[])
    .filter((k) => e[k])
    .map((k) => ({ fieldId: `field-${k}`, label: LABELS[k], message: e[k] as string }));
  const remember = (k: keyof typeof LABELS) => (ev: { target: { value: string } }) => setTyped((t) => ({ ...t, [k]: ev.target.value }));
  return (
    // A new key per answer: React resets a form after its action; this refills it.
    <form key={JSON.stringify(state)} action={formAction} className="flex max-w-lg flex-col gap-5" noValidate>
      <ErrorSummary items={items} formError={state.formError} answer={state} />
      {/* Lets password managers file the new password under the right account. */}
      <input type="text" name="username" autoComplete="username" value={email} readOnly hidden />
      <Field
        label={LABELS.currentPassword}
        name="currentPassword"
        type="password"
        autoComplete="current-password"
        required
        error={e.currentPassword}
        defaultValue={typed.currentPassword}
        onChange={remember("currentPassword")}
      />
      <Field
        label={LABELS.newPassword}
        name="newPassword"
        type="password"
        autoComplete="new-password"
        required
        minLength={minPasswordLength}
        hint={`At least ${minPasswordLength} characters. A passphrase of a few words works well.`}
        error={e.newPassword}
        defaultValue={typed.newPassword}
        onChange={remember("newPassword")}
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
