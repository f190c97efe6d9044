"use client";
// One button that runs one admin server action with a few hidden fields; the result is
// announced in an aria-live region next to it. With `confirm`, the first press comes back asking
// (the action refuses to act until the form posts confirmed=yes), then "Yes, …" does it: two
// plain POSTs, so the question is asked with and without JavaScript.
import { useActionState, type ReactNode } from "react";
import { Alert, Button, ConfirmStep, useFocusAfterConfirm, type ButtonVariant } from "@/components/ui";
import { IDLE, type AdminAction } from "./action-state";
import { LinkOnce } from "./link-once";

export type ActionButtonProps = {
  action: AdminAction;
  fields: Record<string, string>;
  label: string;
  variant?: ButtonVariant;
  /** Accessible name when the visible label is ambiguous in a list (e.g. "Suspend Acme"). */
  ariaLabel?: string;
  /** Ask first: what will happen, and the confirming button's label (e.g. "Yes, disable user"). */
  confirm?: { question: ReactNode; yes: string };
};

export function ActionButton({ action, fields, label, variant = "secondary", ariaLabel, confirm }: ActionButtonProps) {
  const [state, formAction, pending] = useActionState(action, IDLE);
  const asking = Boolean(confirm && state.needsConfirmation);
  const opener = useFocusAfterConfirm(asking);
  return (
    <form action={formAction} className="flex flex-col items-start gap-2 sm:max-w-xs">
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {asking && confirm ? (
        <ConfirmStep yes={confirm.yes} pending={pending} label={`Confirm: ${ariaLabel ?? label}`}>
          {confirm.question}
        </ConfirmStep>
      ) : (
        <Button ref={opener} type="submit" size="sm" variant={variant} pending={pending} aria-label={ariaLabel}>
          {label}
        </Button>
      )}
      <div aria-live="polite" className="empty:hidden">
        {state.error ? <Alert tone="error">{state.error}</Alert> : null}
        {state.ok && state.message ? <Alert tone="success">{state.message}</Alert> : null}
        {state.ok && state.link ? <LinkOnce link={state.link} /> : null}
      </div>
    </form>
  );
}
