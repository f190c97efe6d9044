"use client";
// The profile form: name and email. Changing the email asks for the current password (the
// field appears once the address differs). Errors come back from the server action, inline.
import { useActionState, useState } from "react";
import { Alert, Button, Field } from "@/components/ui";
import type { ProfileFieldErrors } from "@/lib/auth/profile-update";

/** What the profile action answers (app/account/actions.ts). */
export type ProfileState = {
  fieldErrors?: ProfileFieldErrors;
  formError?: string;
  /** What was submitted, so that the form shows it again next to the errors. */
  values?: { name: string; email: string };
};

type Action = (prev: ProfileState, form: FormData) => Promise<ProfileState>;

const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

export function ProfileForm({ action, name, email }: { action: Action; name: string | null; email: string }) {
  const [state, formAction, pending] = useActionState(action, {});
  const [typedEmail, setTypedEmail] = useState(email);
  const e = state.fieldErrors ?? {};
  const needsPassword = !same(typedEmail, email) || Boolean(e.currentPassword);
  return (
    <form action={formAction} className="flex max-w-lg flex-col gap-5" noValidate>
      <div aria-live="polite" className="empty:-mb-5">
        {state.formError ? <Alert tone="error">{state.formError}</Alert> : null}
      </div>
      <Field label="Name" name="name" autoComplete="name" defaultValue={state.values?.name ?? name ?? ""} required error={e.name} />
      <Field
        label="Email"
        name="email"
        type="email"
        autoComplete="email"
        defaultValue={state.values?.email ?? email}
        onChange={(ev) => setTypedEmail(ev.currentTarget.value)}
        required
        error={e.email}
        hint="You sign in with this address. A new one takes effect when you open the link we email to it."
      />
      {needsPassword ? (
        <Field
          label="Current password"
          name="currentPassword"
          type="password"
          autoComplete="current-password"
          required
          error={e.currentPassword}
          hint="Needed to change the address you sign in with."
        />
      ) : null}
      <div>
        <Button type="submit" pending={pending}>
          Save profile
        </Button>
      </div>
    </form>
  );
}
