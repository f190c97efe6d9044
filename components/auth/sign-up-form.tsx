"use client";
// Sign-up form: a server action that creates the account and answers "check your email" (the same
// answer for a taken address: lib/auth/sign-up.ts), so it works as a plain HTML POST before and
// without JavaScript. After an error the form keeps what was
// typed (name and email come back from the server; the password only stays in this browser's
// memory, when scripts run: it is never sent back in a page) and an error summary takes the focus.
import { useActionState, useState } from "react";
import Link from "next/link";
import { Alert, Button, ErrorSummary, Field, buttonClassName } from "@/components/ui";
import type { SignUpFieldErrors } from "@/lib/auth/sign-up";

/** What was typed, to refill the form after an error (never the password: it is not sent back). */
type SignUpValues = { name: string; email: string };
/** What the sign-up action answers (app/signup/actions.ts). */
export type SignUpState = { ok: boolean; fieldErrors?: SignUpFieldErrors; formError?: string; values?: SignUpValues };

type Action = (prev: SignUpState, form: FormData) => Promise<SignUpState>;

const LABELS = { name: "Name", email: "Email", password: "Password" } as const;

export function SignUpForm({ action, callbackPath, minPasswordLength }: {
  action: Action;
  callbackPath: string;
  minPasswordLength: number;
}) {
  const [state, formAction, pending] = useActionState(action, { ok: false });
  const [password, setPassword] = useState("");
  const e = state.fieldErrors ?? {};
  const v = state.values ?? { name: "", email: "" };
  if (state.ok) {
    return (
      <div className="flex flex-col gap-5" aria-live="polite">
        <Alert tone="success" title="Check your email">
          We sent a message to <span className="font-medium break-all">{v.email}</span>. Open the link in it to confirm your address, then sign
          in with your password. Nothing arrived? Look in your spam folder.
        </Alert>
        <Link href={`/signin?callbackUrl=${encodeURIComponent(callbackPath)}`} className={buttonClassName({ block: true })}>
          Sign in
        </Link>
      </div>
    );
  }

  const items = (Object.keys(LABELS) as (keyof typeof LABELS)[])
    .filter((k) => e[k])
    .map((k) => ({ fieldId: `field-${k}`, label: LABELS[k], message: e[k] as string }));
  return (
    // A new key per answer: React resets a form after its action; this refills it.
    <form key={JSON.stringify(state)} action={formAction} className="flex flex-col gap-5" noValidate>
      <input type="hidden" name="callbackUrl" value={callbackPath} />
      <ErrorSummary items={items} formError={state.formError} answer={state} />
      <Field label={LABELS.name} name="name" autoComplete="name" required error={e.name} defaultValue={v.name} autoFocus={items.length === 0} />
      <Field label={LABELS.email} name="email" type="email" autoComplete="email" required error={e.email} defaultValue={v.email} />
      <Field
        label={LABELS.password}
        name="password"
        type="password"
        autoComplete="new-password"
        required
        minLength={minPasswordLength}
        hint={`At least ${minPasswordLength} characters. A passphrase of a few words works well.`}
        error={e.password}
        // Uncontrolled (typing before hydration stays put); remembered here for the refill.
        defaultValue={password}
        onChange={(ev) => setPassword(ev.target.value)}
      />
      <Button type="submit" block pending={pending}>
        Create account
      </Button>
    </form>
  );
}
