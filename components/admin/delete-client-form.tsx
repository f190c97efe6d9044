"use client";
// Delete a client: the admin types its exact name; errors inline and in an aria-live region.
import { useActionState } from "react";
import Link from "next/link";
import { Button, Field, buttonClassName } from "@/components/ui";
import { IDLE, type AdminAction } from "./action-state";

export function DeleteClientForm({ action, clientRowId, clientName }: { action: AdminAction; clientRowId: string; clientName: string }) {
  const [state, formAction, pending] = useActionState(action, IDLE);
  return (
    <form action={formAction} className="flex flex-col gap-4" noValidate>
      <input type="hidden" name="clientRowId" value={clientRowId} />
      <div aria-live="polite" className="sr-only">
        {state.fieldErrors?.confirm ?? state.error ?? ""}
      </div>
      <Field
        label="Type the client's name to confirm"
        name="confirm"
        autoComplete="off"
        hint={`Exactly: ${clientName}`}
        error={state.fieldErrors?.confirm ?? state.error}
      />
      <div className="flex flex-wrap gap-3">
        <Button type="submit" variant="danger" pending={pending}>
          Delete client
        </Button>
        <Link href="/admin/clients" className={buttonClassName({ variant: "ghost" })}>
          Cancel
        </Link>
      </div>
    </form>
  );
}
