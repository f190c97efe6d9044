"use client";
// The code step of sign-in and of step-up: a 6-digit code from the authenticator app, or a
// recovery code. A server action bound to the form (a plain POST without JavaScript), enhanced by
// useActionState; a refusal comes back as a code turned into words.
import { useActionState, useEffect } from "react";
import { Alert, Button, Field } from "@/components/ui";
import { secondFactorErrorMessage } from "@/lib/auth/sign-in-messages";

/** What the code actions answer (app/signin/second-factor/actions.ts, app/signin/step-up/actions.ts). */
export type SecondFactorState = { error?: string; redirectTo?: string };

type Action = (prev: SecondFactorState, form: FormData) => Promise<SecondFactorState>;

export function SecondFactorForm({ action, method, hidden }: {
  action: Action;
  method: "totp" | "recovery";
  /** Extra hidden fields (the step-up's acr and callback). */
  hidden?: Record<string, string>;
}) {
  const [state, formAction, pending] = useActionState(action, {});
  // Done (scripts running): a full navigation, so that every page renders with the new session.
  useEffect(() => {
    if (state.redirectTo) window.location.assign(state.redirectTo);
  }, [state.redirectTo]);
  const totp = method === "totp";
  return (
    <form key={JSON.stringify(state)} action={formAction} className="flex flex-col gap-5" noValidate>
      <input type="hidden" name="method" value={method} />
      {Object.entries(hidden ?? {}).map(([k, v]) => (
        <input key={k} type="hidden" name={k} value={v} />
      ))}
      <div aria-live="polite" className="empty:-mb-5">
        {state.error ? <Alert tone="error">{secondFactorErrorMessage(state.error, method)}</Alert> : null}
      </div>
      {totp ? (
        <Field
          label="Authentication code"
          name="code"
          inputMode="numeric"
          autoComplete="one-time-code"
          pattern="[0-9 ]*"
          maxLength={9}
          required
          autoFocus
          hint="The 6-digit code your authenticator app shows now."
          className="font-mono tracking-widest"
        />
      ) : (
        <Field
          label="Recovery code"
          name="code"
          autoComplete="off"
          spellCheck={false}
          maxLength={64}
          required
          autoFocus
          hint="One of the codes you saved when you set up two-step verification, like xxxx-xxxx-xxxx. Each works once."
          className="font-mono"
        />
      )}
      <Button type="submit" block pending={pending || Boolean(state.redirectTo)}>
        {totp ? "Verify" : "Use recovery code"}
      </Button>
    </form>
  );
}
