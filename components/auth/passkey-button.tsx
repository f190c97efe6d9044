"use client";
// "Sign in with a passkey": the WebAuthn authentication ceremony (navigator.credentials.get()
// through SimpleWebAuthn). Used on the sign-in page (usernameless, plus conditional UI: the
// browser offers passkeys in the Email field's autofill, WebAuthn Level 3 §5.1.4 "mediation:
// conditional"), and as a second factor or step-up. Needs JavaScript, so it renders nothing
// until the script runs and the browser supports passkeys: the page's forms stay as they are.
import { useCallback, useEffect, useRef, useState } from "react";
import { browserSupportsWebAuthnAutofill, startAuthentication, type AuthenticationResponseJSON } from "@simplewebauthn/browser";
import { Alert, Button } from "@/components/ui";
import { signInErrorMessage } from "@/lib/auth/sign-in-messages";
import { passkeyAvailability, passkeyErrorMessage, type PasskeyAvailability } from "./passkey-browser";
import type { PasskeyOptions, PasskeyResult } from "./passkey-types";

/** A refusal code (app/signin/passkey-actions.ts) in words. */
export function passkeyRefusal(code: string): string {
  const kind = code.split(":")[0];
  if (kind === "invalid") return "That passkey did not work. Try another one, or sign in another way.";
  if (kind === "expired") return "That took too long. Try again.";
  if (kind === "unverified") return "Confirm your email address first: open the link we sent you, or sign in with your password to get a new one.";
  return signInErrorMessage(code); // wait, locked, unavailable
}

export function PasskeyButton({ optionsAction, verifyAction, callbackPath, rpOrigin, label = "Sign in with a passkey", autofill = false, variant = "secondary", separator = false }: {
  optionsAction: () => Promise<PasskeyOptions>;
  verifyAction: (responseJson: string, callbackUrl: string) => Promise<PasskeyResult>;
  callbackPath: string;
  /** Where passkeys work (lib/auth/webauthn-rp.ts); null: not on this server. */
  rpOrigin: string | null;
  label?: string;
  /** Also offer passkeys in the autofill of an input with autocomplete="… webauthn". */
  autofill?: boolean;
  variant?: "primary" | "secondary";
  /** An "or" rule above the button (it follows another way to sign in). */
  separator?: boolean;
}) {
  const [available, setAvailable] = useState<PasskeyAvailability | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const done = useRef(false);

  const run = useCallback(
    async (conditional: boolean) => {
      const start = await optionsAction();
      if (start.error !== undefined) {
        if (!conditional) setError(passkeyRefusal(start.error));
        return;
      }
      let response: AuthenticationResponseJSON;
      try {
        response = await startAuthentication({ optionsJSON: start.options, useBrowserAutofill: conditional });
      } catch (err) {
        // A conditional request is aborted whenever the button starts a modal one: not an error.
        if (!conditional) setError(passkeyErrorMessage(err));
        return;
      }
      setBusy(true);
      setError(null);
      const result = await verifyAction(JSON.stringify(response), callbackPath);
      if (result.error !== undefined) {
        setBusy(false);
        setError(passkeyRefusal(result.error));
        return;
      }
      done.current = true;
      window.location.assign(result.redirectTo);
    },
    [optionsAction, verifyAction, callbackPath],
  );

  // The latest `run` for the mount effect below, which must not start again when the page's props
  // change identity (a server action that sets a cookie makes Next refresh the page's props).
  const latestRun = useRef(run);
  useEffect(() => {
    latestRun.current = run;
  }, [run]);

  // Once per page: is WebAuthn usable here, and the autofill (conditional) request when asked for.
  useEffect(() => {
    if (!rpOrigin) return;
    const a = passkeyAvailability(rpOrigin);
    setAvailable(a);
    if (!a.ok || !autofill) return;
    void browserSupportsWebAuthnAutofill().then((yes) => {
      if (yes) latestRun.current(true).catch(() => undefined);
    });
  }, [rpOrigin, autofill]);

  if (!available) return null;
  if (!available.ok) {
    return available.reason === "elsewhere" ? (
      <p className="text-center text-sm text-neutral-600">
        Passkeys work at{" "}
        <a href={available.url} className="font-medium text-brand-700 hover:underline">
          {new URL(available.url).origin}
        </a>
      </p>
    ) : null;
  }

  async function click() {
    setBusy(true);
    setError(null);
    try {
      await run(false);
    } catch {
      setError("Something went wrong. Reload the page and try again.");
    } finally {
      if (!done.current) setBusy(false);
    }
  }

  return (
    <div className="flex flex-col gap-3">
      {separator ? (
        <div className="flex items-center gap-3 text-xs uppercase tracking-wide text-neutral-500" aria-hidden="true">
          <span className="h-px grow bg-neutral-200" />
          or
          <span className="h-px grow bg-neutral-200" />
        </div>
      ) : null}
      <div aria-live="polite" className="empty:hidden">
        {error ? <Alert tone="error">{error}</Alert> : null}
      </div>
      <Button type="button" variant={variant} block onClick={click} pending={busy}>
        {label}
      </Button>
    </div>
  );
}
