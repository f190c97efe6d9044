"use client";
// One button that runs one admin server action with a few hidden fields; the result is
// announced in an aria-live region next to it.
import { useActionState } from "react";
import { Alert, Button, type ButtonVariant } from "@/components/ui";
import { IDLE, type AdminAction } from "./action-state";

export type ActionButtonProps = {
  action: AdminAction;
  fields: Record<string, string>;
  label: string;
  variant?: ButtonVariant;
  /** Accessible name when the visible label is ambiguous in a list (e.g. "Suspend Acme"). */
  ariaLabel?: string;
};

export function ActionButton({ action, fields, label, variant = "secondary", ariaLabel }: ActionButtonProps) {
  const [state, formAction, pending] = useActionState(action, IDLE);
  return (
    <form action={formAction} className="flex flex-col items-start gap-2 sm:max-w-xs">
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <Button type="submit" size="sm" variant={variant} pending={pending} aria-label={ariaLabel}>
        {label}
      </Button>
      <div aria-live="polite" className="empty:hidden">
        {state.error ? <Alert tone="error">{state.error}</Alert> : null}
        {state.ok && state.message ? <Alert tone="success">{state.message}</Alert> : null}
      </div>
    </form>
  );
}
