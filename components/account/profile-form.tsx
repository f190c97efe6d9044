"use client";
// The profile form: name and email. Errors come back from the server action, inline.
import { useActionState } from "react";
import { Alert, Button, Field } from "@/components/ui";
import type { ProfileState } from "@/app/account/actions";

type Action = (prev: ProfileState, form: FormData) => Promise<ProfileState>;

export function ProfileForm({ action, name, email }: { action: Action; name: string | null; email: string }) {
  const [state, formAction, pending] = useActionState(action, {});
  const e = state.fieldErrors ?? {};
  return (
    <form action={formAction} className="flex max-w-lg flex-col gap-5" noValidate>
      <div aria-live="polite" className="empty:-mb-5">
        {state.formError ? <Alert tone="error">{state.formError}</Alert> : null}
      </div>
      <Field label="Name" name="name" autoComplete="name" defaultValue={name ?? ""} required error={e.name} />
      <Field
        label="Email"
        name="email"
        type="email"
        autoComplete="email"
        defaultValue={email}
        required
        error={e.email}
        hint="You sign in with this address. A new address shows as not verified to apps."
      />
      <div>
        <Button type="submit" pending={pending}>
          Save profile
        </Button>
      </div>
    </form>
  );
}
