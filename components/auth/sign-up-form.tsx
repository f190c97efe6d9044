"use client";
// Sign-up form: the server action creates the account, then the same credentials sign in.
import { useActionState, useEffect, useRef, useState } from "react";
import { signIn } from "next-auth/react";
import { Alert, Button, Field } from "@/components/ui";
import type { SignUpState } from "@/app/signup/actions";

type Action = (prev: SignUpState, form: FormData) => Promise<SignUpState>;

export function SignUpForm({ action, callbackPath, minPasswordLength }: {
  action: Action;
  callbackPath: string;
  minPasswordLength: number;
}) {
  const [state, formAction, pending] = useActionState(action, { ok: false });
  const [signInError, setSignInError] = useState<string>();
  const credentials = useRef<{ email: string; password: string } | null>(null);

  useEffect(() => {
    if (!state.ok || !credentials.current) return;
    const { email, password } = credentials.current;
    credentials.current = null;
    signIn("credentials", { redirect: false, email, password }).then((res) => {
      if (res?.ok && !res.error) window.location.assign(callbackPath);
      else setSignInError("Your account was created, but signing in failed. Please sign in.");
    });
  }, [state, callbackPath]);

  const e = state.fieldErrors ?? {};
  return (
    <form
      action={(form) => {
        credentials.current = { email: String(form.get("email") ?? ""), password: String(form.get("password") ?? "") };
        return formAction(form);
      }}
      className="flex flex-col gap-5"
      noValidate
    >
      <div aria-live="polite" className="empty:-mb-5">
        {state.formError || signInError ? <Alert tone="error">{state.formError ?? signInError}</Alert> : null}
        {state.ok && !signInError ? <Alert tone="success">Account created. Signing you in…</Alert> : null}
      </div>
      <Field label="Name" name="name" autoComplete="name" required error={e.name} autoFocus />
      <Field label="Email" name="email" type="email" autoComplete="email" required error={e.email} />
      <Field
        label="Password"
        name="password"
        type="password"
        autoComplete="new-password"
        required
        minLength={minPasswordLength}
        hint={`At least ${minPasswordLength} characters. A passphrase of a few words works well.`}
        error={e.password}
      />
      <Button type="submit" block pending={pending || (state.ok && !signInError)}>
        Create account
      </Button>
    </form>
  );
}
