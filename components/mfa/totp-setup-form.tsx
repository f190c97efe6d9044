"use client";
// Setting up an authenticator app: the QR code and the manual key, then the first code that
// confirms it. A server action bound to the form (a plain POST without JavaScript); the secret
// travels sealed in a hidden field (lib/auth/totp-enrolment.ts). Confirmed: the recovery codes,
// shown once, and what comes next (`done`: a link or the sign-in's continue button).
import { useActionState, type ReactNode } from "react";
import { Alert, Button, Field } from "@/components/ui";
import { secondFactorErrorMessage } from "@/lib/auth/sign-in-messages";
import type { TotpSetup } from "@/lib/auth/totp-enrolment";
import { RecoveryCodesList } from "./recovery-codes-list";

/** What the confirming action answers. */
export type TotpSetupState = { error?: string; setup?: TotpSetup; recoveryCodes?: string[] };

type Action = (prev: TotpSetupState, form: FormData) => Promise<TotpSetupState>;

export function TotpSetupForm({ action, setup: initial, done, enrolled, hidden }: {
  action: Action;
  /** The set-up to show; null once TOTP is on (then `enrolled` shows, unless the codes just made are on screen). */
  setup: TotpSetup | null;
  /** What to show when TOTP is already on. */
  enrolled?: ReactNode;
  /** Shown under the recovery codes once TOTP is on. */
  done: ReactNode;
  /** Extra hidden fields (e.g. the callback path). */
  hidden?: Record<string, string>;
}) {
  const [state, formAction, pending] = useActionState(action, {});
  if (state.recoveryCodes) {
    return (
      <div className="flex flex-col gap-5">
        <Alert tone="success" title="Two-step verification is on">
          From now on, signing in asks for a code from your authenticator app after your password.
        </Alert>
        <RecoveryCodesList codes={state.recoveryCodes} />
        {done}
      </div>
    );
  }
  // After a wrong code the action hands back the same set-up, so the QR code scanned stays valid.
  const setup = state.setup ?? initial;
  // The page renders this component in the same place once TOTP is on, so that the codes the
  // confirming action returned stay on screen when the page renders again after it.
  if (!setup) return <>{enrolled}</>;
  return (
    <form key={JSON.stringify(state)} action={formAction} className="flex flex-col gap-5" noValidate>
      <input type="hidden" name="sealed" value={setup.sealed} />
      {Object.entries(hidden ?? {}).map(([k, v]) => (
        <input key={k} type="hidden" name={k} value={v} />
      ))}
      <ol className="flex list-decimal flex-col gap-4 pl-5 text-sm text-neutral-700">
        <li>
          Open an authenticator app (Google Authenticator, Microsoft Authenticator, 1Password, Bitwarden…) and scan this code.
          <div className="mt-3 flex flex-col items-start gap-3 sm:flex-row sm:items-center">
            <img src={setup.qrDataUrl} alt="QR code for your authenticator app" width={176} height={176} className="rounded-lg border border-neutral-200 bg-white p-1" />
            <div className="text-xs text-neutral-600">
              Can’t scan it? Enter this key instead:
              <code data-testid="totp-manual-key" className="mt-1 block break-all rounded bg-neutral-100 px-2 py-1 font-mono text-sm text-neutral-900">
                {setup.manualKey}
              </code>
            </div>
          </div>
        </li>
        <li>Enter the 6-digit code the app shows.</li>
      </ol>
      <div aria-live="polite" className="empty:-mb-5">
        {state.error ? <Alert tone="error">{secondFactorErrorMessage(state.error)}</Alert> : null}
      </div>
      <Field label="Code from the app" name="code" inputMode="numeric" autoComplete="one-time-code" pattern="[0-9 ]*" maxLength={9} required className="max-w-48 font-mono tracking-widest" />
      <div>
        <Button type="submit" pending={pending}>
          Turn on two-step verification
        </Button>
      </div>
    </form>
  );
}
