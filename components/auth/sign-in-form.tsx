"use client";
// The sign-in form (contract: fields "Email" and "Password", button "Sign in"). A server action
// bound to the form: a plain POST before hydration and without JavaScript (never a GET, which
// would put the password in the URL), enhanced once scripts load. A refusal comes back as a code
// turned into words, with the typed email still in its field.
import { useActionState, useEffect } from "react";
import { Alert, Button, Field } from "@/components/ui";
import { signInErrorMessage } from "@/lib/auth/sign-in-messages";

/** What the sign-in action answers (app/signin/actions.ts). */
export type SignInState = { error?: string; email?: string; redirectTo?: string };

type Action = (prev: SignInState, form: FormData) => Promise<SignInState>;

export function SignInForm({ action, callbackPath, initialError, defaultEmail }: {
  action: Action;
  callbackPath: string;
  /** A code from `?error=` (next-auth's own endpoint sends refusals there). */
  initialError?: string;
  defaultEmail?: string;
}) {
  const [state, formAction, pending] = useActionState(action, { error: initialError, email: defaultEmail });
  const error = state.error ? signInErrorMessage(state.error) : undefined;
  // Signed in (scripts running): a full navigation, so that every page renders with the session.
  useEffect(() => {
    if (state.redirectTo) window.location.assign(state.redirectTo);
  }, [state.redirectTo]);
  return (
    // A new key per answer: React resets a form after its action; this refills the email.
    <form key={JSON.stringify(state)} action={formAction} className="flex flex-col gap-5" noValidate>
      <input type="hidden" name="callbackUrl" value={callbackPath} />
      <div aria-live="polite" className="empty:-mb-5">{error ? <Alert tone="error">{error}</Alert> : null}</div>
      {/* "webauthn": the browser may offer passkeys here (conditional UI; components/auth/passkey-button.tsx). */}
      <Field label="Email" name="email" type="email" autoComplete="username webauthn" defaultValue={state.email} required autoFocus />
      <Field label="Password" name="password" type="password" autoComplete="current-password" required />
      <Button type="submit" block pending={pending || Boolean(state.redirectTo)}>
        Sign in
      </Button>
    </form>
  );
}
