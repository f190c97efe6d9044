"use client";
// Revoke one initial access token, in two steps (Revoke, then Revoke now) so that a slip does not
// cut off a partner. Errors are announced in an aria-live region.
import { useActionState, useState } from "react";
import { Button } from "@/components/ui";
import { revokeRegistrationTokenAction, type RevokeTokenState } from "@/app/dashboard/registration-tokens/actions";

const initial: RevokeTokenState = { error: null };

export function RevokeTokenForm({ id, label }: { id: string; label: string }) {
  const [state, action, pending] = useActionState(revokeRegistrationTokenAction, initial);
  const [confirming, setConfirming] = useState(false);
  return (
    <div className="flex flex-col items-start gap-2 sm:items-end">
      {confirming ? (
        <form action={action} className="flex gap-2">
          <input type="hidden" name="id" value={id} />
          <Button type="button" variant="ghost" size="sm" onClick={() => setConfirming(false)} disabled={pending}>
            Cancel
          </Button>
          <Button type="submit" variant="danger" size="sm" pending={pending} aria-label={`Revoke ${label} now`} autoFocus>
            Revoke now
          </Button>
        </form>
      ) : (
        <Button type="button" variant="secondary" size="sm" onClick={() => setConfirming(true)} aria-label={`Revoke ${label}`}>
          Revoke
        </Button>
      )}
      <div aria-live="polite" className="text-xs font-medium text-red-700 empty:hidden">
        {state.error}
      </div>
    </div>
  );
}
