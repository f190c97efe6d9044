"use client";
// Forgot password: one field. The answer is the same for every address (the page says "if an
// account exists"). A server action bound to the form: a plain POST without JavaScript.
import { useActionState } from "react";
import Link from "next/link";
import { Alert, Button, ErrorSummary, Field } from "@/components/ui";

/** What the action answers (app/forgot-password/actions.ts). */
export type ForgotPasswordState = { sent?: string; email?: string; fieldErrors?: { email?: string }; formError?: string };

type Action = (prev: ForgotPasswordState, form: FormData) => Promise<ForgotPasswordState>;

export function ForgotPasswordForm({ action }: { action: Action }) {
  const [state, formAction, pending] = useActionState(action, {});
  if (state.sent) {
    return (
      <div className="flex flex-col gap-5" aria-live="polite">
        <Alert tone="success" title="Check your email">
          If an account exists for <span className="font-medium break-all">{state.sent}</span>, we sent it a link to choose a new password. The
          link works once and only for a short while. Nothing arrived? Look in your spam folder, or ask again in a few minutes.
        </Alert>
        <Link href="/signin" className="text-center text-sm font-medium text-brand-700 hover:underline">
          Back to sign in
        </Link>
      </div>
    );
  }
  const items = state.fieldErrors?.email ? [{ fieldId: "field-email", label: "Email", message: state.fieldErrors.email }] : [];
  return (
    <form key={JSON.stringify(state)} action={formAction} className="flex flex-col gap-5" noValidate>
      <ErrorSummary items={items} formError={state.formError} answer={state} />
      <Field label="Email" name="email" type="email" autoComplete="username" required autoFocus defaultValue={state.email} error={state.fieldErrors?.email} />
      <Button type="submit" block pending={pending}>
        Send me a link
      </Button>
    </form>
  );
}
