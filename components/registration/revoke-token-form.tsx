"use client";
// Revoke one initial access token, in two steps (Revoke, then Revoke now) so that a slip does not
// cut off a partner. Both steps post the one form (the action asks until it gets confirmed=yes),
// so it works without JavaScript. Errors are announced in an aria-live region.
import { useActionState } from "react";
import { Button, useFocusAfterConfirm } from "@/components/ui";

/** What the revoke action answers (app/dashboard/registration-tokens/actions.ts). */
export type RevokeTokenState = { error: string | null; needsConfirmation?: boolean };

export type RevokeTokenAction = (prev: RevokeTokenState, form: FormData) => Promise<RevokeTokenState>;

const initial: RevokeTokenState = { error: null };

export function RevokeTokenForm({ action: revoke, id, label }: { action: RevokeTokenAction; id: string; label: string }) {
  const [state, action, pending] = useActionState(revoke, initial);
  const confirming = Boolean(state.needsConfirmation);
  const opener = useFocusAfterConfirm(confirming);
  return (
    <div className="flex flex-col items-start gap-2 sm:items-end">
      <form action={action} className="flex gap-2">
        <input type="hidden" name="id" value={id} />
        {confirming ? (
          <>
            <Button type="submit" name="confirmed" value="no" variant="ghost" size="sm" disabled={pending}>
              Cancel
            </Button>
            <Button type="submit" name="confirmed" value="yes" variant="danger" size="sm" pending={pending} aria-label={`Revoke ${label} now`} autoFocus>
              Revoke now
            </Button>
          </>
        ) : (
          <Button ref={opener} type="submit" variant="secondary" size="sm" pending={pending} aria-label={`Revoke ${label}`}>
            Revoke
          </Button>
        )}
      </form>
      <div aria-live="polite" className="text-xs font-medium text-red-700 empty:hidden">
        {state.error}
      </div>
    </div>
  );
}
