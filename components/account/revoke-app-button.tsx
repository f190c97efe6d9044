"use client";
// "Revoke access", then a confirm step that says what happens, before anything is sent.
import { useActionState, useEffect, useRef, useState } from "react";
import { Alert, Button } from "@/components/ui";
import type { RevokeAppState } from "@/app/account/apps/actions";

type Action = (prev: RevokeAppState, form: FormData) => Promise<RevokeAppState>;

export function RevokeAppButton({ action, clientId, appName }: { action: Action; clientId: string; appName: string }) {
  const [state, formAction, pending] = useActionState(action, {});
  const [confirming, setConfirming] = useState(false);
  const confirmRef = useRef<HTMLDivElement>(null);
  const openRef = useRef<HTMLDivElement>(null);
  const wasConfirming = useRef(false);

  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
    else if (wasConfirming.current) openRef.current?.querySelector("button")?.focus();
    wasConfirming.current = confirming;
  }, [confirming]);

  return (
    <div className="flex flex-col gap-3">
      <div aria-live="polite" className="empty:hidden">
        {state.error ? <Alert tone="error">{state.error}</Alert> : null}
      </div>
      {confirming ? (
        <div
          ref={confirmRef}
          tabIndex={-1}
          role="group"
          aria-label={`Confirm revoking ${appName}`}
          className="flex flex-col gap-3 rounded-lg border border-red-200 bg-red-50 p-3 text-sm text-red-900 focus:outline-none"
        >
          <p>
            Revoke access for <span className="font-semibold break-words">{appName}</span>? It loses access to your account at once and
            is signed out. You can connect it again later.
          </p>
          <form action={formAction} className="flex flex-col gap-2 sm:flex-row">
            <input type="hidden" name="client" value={clientId} />
            <Button type="submit" variant="danger" size="sm" pending={pending}>
              Yes, revoke access
            </Button>
            <Button type="button" variant="secondary" size="sm" onClick={() => setConfirming(false)} disabled={pending}>
              Cancel
            </Button>
          </form>
        </div>
      ) : (
        <div ref={openRef}>
          <Button type="button" variant="secondary" size="sm" onClick={() => setConfirming(true)}>
            Revoke access
          </Button>
        </div>
      )}
    </div>
  );
}
