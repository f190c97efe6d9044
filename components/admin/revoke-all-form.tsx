"use client";
// Confirm "revoke all for client"; after it ran, the report of what was revoked replaces the form.
import { useActionState } from "react";
import Link from "next/link";
import { Alert, Button, buttonClassName } from "@/components/ui";
import type { RevokeAllState } from "./action-state";
import { GrantCountList } from "./grant-counts";

type Action = (prev: RevokeAllState, form: FormData) => Promise<RevokeAllState>;

export function RevokeAllForm({ action, clientRowId, clientName, backHref }: {
  action: Action;
  clientRowId: string;
  clientName: string;
  backHref: string;
}) {
  const [state, formAction, pending] = useActionState(action, { ok: false });
  if (state.ok && state.report) {
    return (
      <div className="flex flex-col gap-4" aria-live="polite">
        <Alert tone="success" title={`Revoked everything ${clientName} held`}>
          {state.message}
        </Alert>
        <GrantCountList counts={state.report} label="Revoked" />
        <Link href={backHref} className={buttonClassName({ variant: "secondary", size: "sm", className: "self-start" })}>
          Back to grants
        </Link>
      </div>
    );
  }
  return (
    <form action={formAction} className="flex flex-col gap-3">
      <input type="hidden" name="clientRowId" value={clientRowId} />
      <div aria-live="polite" className="empty:hidden">
        {state.error ? <Alert tone="error">{state.error}</Alert> : null}
      </div>
      <div className="flex flex-wrap gap-3">
        <Button type="submit" variant="danger" pending={pending} aria-label={`Revoke all for ${clientName}`}>
          Revoke all
        </Button>
        <Link href={backHref} className={buttonClassName({ variant: "ghost" })}>
          Cancel
        </Link>
      </div>
    </form>
  );
}
