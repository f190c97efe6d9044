"use client";
// Delete a client: the developer types its name to confirm. The result says how many consents,
// codes and tokens went with it.
import Link from "next/link";
import { useActionState } from "react";
import { Alert, Button, Field, buttonClassName } from "@/components/ui";
import type { DeleteState } from "./action-states";

type Action = (prev: DeleteState, form: FormData) => Promise<DeleteState>;

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export function DeleteClientForm({ action, clientRowId, clientName }: { action: Action; clientRowId: string; clientName: string }) {
  const [state, formAction, pending] = useActionState(action, {});
  if (state.deleted) {
    const c = state.deleted.counts;
    return (
      <div className="flex flex-col gap-4" aria-live="polite">
        <Alert tone="success" title={`Deleted ${state.deleted.name}`}>
          Revoked {plural(c.consents, "consent", "consents")}, {plural(c.codes, "authorization code", "authorization codes")},{" "}
          {plural(c.refreshTokens, "refresh token", "refresh tokens")} and {plural(c.accessTokens, "access token", "access tokens")}.
        </Alert>
        <div>
          <Link href="/dashboard/clients" className={buttonClassName()}>
            Back to your clients
          </Link>
        </div>
      </div>
    );
  }
  return (
    <form key={state.error ?? ""} action={formAction} className="flex flex-col gap-4" noValidate>
      <input type="hidden" name="client" value={clientRowId} />
      <Field
        label="Type the client's name to confirm"
        name="confirm_name"
        autoComplete="off"
        spellCheck={false}
        hint={`Type: ${clientName}`}
        error={state.error}
      />
      <div className="flex flex-col-reverse gap-3 sm:flex-row sm:justify-end">
        <Link href={`/dashboard/clients/${clientRowId}`} className={buttonClassName({ variant: "secondary" })}>
          Cancel
        </Link>
        <Button type="submit" variant="danger" pending={pending}>
          Delete client
        </Button>
      </div>
    </form>
  );
}
