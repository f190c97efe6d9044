"use client";
// "Add a passkey": the WebAuthn registration ceremony, which only a script can run. Until the
// script runs (or without JavaScript) the card says so; the rest of the page works without it.
// Steps: options from the server (challenge in a cookie), navigator.credentials.create() through
// SimpleWebAuthn, then the answer back to the server with the chosen name.
import { useEffect, useState } from "react";
import { startRegistration, type RegistrationResponseJSON } from "@simplewebauthn/browser";
import { Alert, Button, Field } from "@/components/ui";
import { passkeyAvailability, passkeyErrorMessage, type PasskeyAvailability } from "@/components/auth/passkey-browser";
import type { RegistrationFinish, RegistrationStart } from "./passkey-types";

export function AddPasskey({ startAction, finishAction, rpOrigin }: {
  startAction: () => Promise<RegistrationStart>;
  finishAction: (responseJson: string, name: string) => Promise<RegistrationFinish>;
  /** Where passkeys work (null: nowhere on this server). */
  rpOrigin: string | null;
}) {
  const [available, setAvailable] = useState<PasskeyAvailability | null>(null);
  const [name, setName] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (rpOrigin) setAvailable(passkeyAvailability(rpOrigin));
  }, [rpOrigin]);

  if (!rpOrigin) return <p className="text-sm text-neutral-600">Passkeys cannot work on this server&apos;s address. Ask your administrator.</p>;
  if (!available) {
    return (
      <p className="text-sm text-neutral-600" data-testid="passkey-needs-js">
        Adding a passkey needs JavaScript: turn it on in this browser to add one. You can still rename and remove your passkeys below.
      </p>
    );
  }
  if (!available.ok) {
    return available.reason === "unsupported" ? (
      <p className="text-sm text-neutral-600">This browser cannot create passkeys. Try another browser or device.</p>
    ) : (
      <p className="text-sm text-neutral-600">
        Passkeys for this server work at{" "}
        <a href={available.url} className="font-medium text-brand-700 hover:underline">
          {new URL(available.url).origin}
        </a>
        . Open this page there to add one.
      </p>
    );
  }

  async function add() {
    setBusy(true);
    setError(null);
    try {
      const start = await startAction();
      if (start.error !== undefined) return setError(start.error);
      let response: RegistrationResponseJSON;
      try {
        response = await startRegistration({ optionsJSON: start.options });
      } catch (err) {
        return setError(passkeyErrorMessage(err));
      }
      const done = await finishAction(JSON.stringify(response), name.trim() || start.suggestedName);
      if (done.error !== undefined) return setError(done.error);
      window.location.assign("/account/passkeys?added=1");
    } catch {
      setError("Something went wrong. Reload the page and try again.");
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="flex flex-col gap-4">
      <Field
        label="Passkey name"
        name="passkey_name"
        value={name}
        onChange={(e) => setName(e.target.value)}
        maxLength={64}
        autoComplete="off"
        hint="Optional. Something that tells you which device it is, e.g. “Work laptop”."
      />
      <div aria-live="polite" className="empty:hidden">
        {error ? <Alert tone="error">{error}</Alert> : null}
      </div>
      <div>
        <Button type="button" onClick={add} pending={busy}>
          Add a passkey
        </Button>
      </div>
    </div>
  );
}
