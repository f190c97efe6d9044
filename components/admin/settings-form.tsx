"use client";
// The admin Settings form: one checkbox and one radio group, saved together by one server action
// (a plain POST without JavaScript). Each option says in one sentence what it does to users.
import { useActionState } from "react";
import { Button, ErrorSummary } from "@/components/ui";
import type { MfaPolicy, Settings } from "@/lib/db/settings";

/** What the save action answers when it does not redirect (app/admin/settings/actions.ts). */
export type SettingsFormState = { fieldErrors?: Partial<Record<keyof Settings, string>> };

type Action = (prev: SettingsFormState, form: FormData) => Promise<SettingsFormState>;

const MFA_OPTIONS: { value: MfaPolicy; label: string; hint: string }[] = [
  { value: "off", label: "Nobody", hint: "Two-step verification is up to each user." },
  {
    value: "admins",
    label: "Admins only",
    hint: "Admins without a second factor (an authenticator app or a passkey) are asked to set one up at their next sign-in.",
  },
  {
    value: "all",
    label: "Everyone",
    hint: "Every user without a second factor (an authenticator app or a passkey) is asked to set one up at their next sign-in.",
  },
];

export function SettingsForm({ action, settings }: { action: Action; settings: Settings }) {
  const [state, formAction, pending] = useActionState(action, {});
  const e = state.fieldErrors ?? {};
  const items = e.mfaPolicy ? [{ fieldId: "field-mfaPolicy-off", label: "Require two-step verification", message: e.mfaPolicy }] : [];
  return (
    // A new key once the saved values change: the fields show what was stored, not what React kept.
    <form key={JSON.stringify(settings)} action={formAction} className="flex flex-col gap-6" noValidate>
      <ErrorSummary items={items} answer={state} />
      <div className="flex items-start gap-3">
        <input
          id="field-requireEmailVerification"
          type="checkbox"
          name="requireEmailVerification"
          defaultChecked={settings.requireEmailVerification}
          aria-describedby="field-requireEmailVerification-hint"
          className="mt-0.5 size-4 shrink-0 accent-brand-600"
        />
        <div className="text-sm">
          <label htmlFor="field-requireEmailVerification" className="font-medium text-neutral-800">
            Require verified email to sign in
          </label>
          <p id="field-requireEmailVerification-hint" className="text-neutral-600">
            Users who have not yet confirmed their email address cannot sign in; they are offered a new confirmation link instead.
          </p>
        </div>
      </div>
      <fieldset className="flex flex-col gap-3" aria-describedby={e.mfaPolicy ? "field-mfaPolicy-error" : undefined}>
        <legend className="mb-1 text-sm font-medium text-neutral-800">Require two-step verification</legend>
        {MFA_OPTIONS.map((o) => (
          <div key={o.value} className="flex items-start gap-3">
            <input
              id={`field-mfaPolicy-${o.value}`}
              type="radio"
              name="mfaPolicy"
              value={o.value}
              defaultChecked={settings.mfaPolicy === o.value}
              aria-describedby={`field-mfaPolicy-${o.value}-hint`}
              className="mt-0.5 size-4 shrink-0 accent-brand-600"
            />
            <div className="text-sm">
              <label htmlFor={`field-mfaPolicy-${o.value}`} className="font-medium text-neutral-800">
                {o.label}
              </label>
              <p id={`field-mfaPolicy-${o.value}-hint`} className="text-neutral-600">
                {o.hint}
              </p>
            </div>
          </div>
        ))}
        {e.mfaPolicy ? (
          <p id="field-mfaPolicy-error" className="text-sm text-red-700">
            {e.mfaPolicy}
          </p>
        ) : null}
      </fieldset>
      <div>
        <Button type="submit" pending={pending}>
          Save settings
        </Button>
      </div>
    </form>
  );
}
