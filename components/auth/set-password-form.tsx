"use client";
// The form behind a reset or invitation link: the new password twice. The link's token travels in
// a hidden field (a POST body, never a Referer); with scripts running, the address bar drops it
// too. A plain POST without JavaScript.
import { useActionState, useEffect, useState } from "react";
import Link from "next/link";
import { Alert, Button, ErrorSummary, Field } from "@/components/ui";
import type { SetPasswordFieldErrors } from "@/lib/auth/password-reset";

/** What the action answers (app/reset-password/actions.ts). */
export type SetPasswordState = { fieldErrors?: SetPasswordFieldErrors; badLink?: boolean };

type Action = (prev: SetPasswordState, form: FormData) => Promise<SetPasswordState>;

const LABELS = { password: "New password", confirm: "New password again" } as const;

export function SetPasswordForm({ action, token, email, minPasswordLength, submitLabel }: {
  action: Action;
  token: string;
  email: string;
  minPasswordLength: number;
  submitLabel: string;
}) {
  const [state, formAction, pending] = useActionState(action, {});
  const [typed, setTyped] = useState({ password: "", confirm: "" });
  useEffect(() => {
    // The token stays in the form only: out of the history and of anything copied from the address bar.
    if (window.location.search.includes("token=")) window.history.replaceState(null, "", window.location.pathname);
  }, []);
  if (state.badLink) return <DeadLink />;
  const e = state.fieldErrors ?? {};
  const items = (Object.keys(LABELS) as (keyof typeof LABELS)[])
    .filter((k) => e[k])
    .map((k) => ({ fieldId: `field-${k}`, label: LABELS[k], message: e[k] as string }));
  const remember = (k: keyof typeof LABELS) => (ev: { target: { value: string } }) => setTyped((t) => ({ ...t, [k]: ev.target.value }));
  return (
    <form key={JSON.stringify(state)} action={formAction} className="flex flex-col gap-5" noValidate>
      <ErrorSummary items={items} answer={state} />
      <input type="hidden" name="token" value={token} />
      {/* Lets password managers file the new password under the right account. */}
      <input type="text" name="username" autoComplete="username" value={email} readOnly hidden />
      <Field
        label={LABELS.password}
        name="password"
        type="password"
        autoComplete="new-password"
        required
        minLength={minPasswordLength}
        hint={`At least ${minPasswordLength} characters. A passphrase of a few words works well.`}
        error={e.password}
        defaultValue={typed.password}
        onChange={remember("password")}
        autoFocus
      />
      <Field
        label={LABELS.confirm}
        name="confirm"
        type="password"
        autoComplete="new-password"
        required
        error={e.confirm}
        defaultValue={typed.confirm}
        onChange={remember("confirm")}
      />
      <Button type="submit" block pending={pending}>
        {submitLabel}
      </Button>
    </form>
  );
}

/** An unknown, used or expired link: say so, and offer a new one. */
export function DeadLink() {
  return (
    <div className="flex flex-col gap-5">
      <Alert tone="error" title="This link does not work any more">
        It may have expired, been used already, or been replaced by a newer link. Links work once and only for a short while.
      </Alert>
      <Link href="/forgot-password" className="text-center text-sm font-medium text-brand-700 hover:underline">
        Request a new link
      </Link>
    </div>
  );
}
