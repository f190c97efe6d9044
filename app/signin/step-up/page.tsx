// Step-up: a signed-in session that does not meet the acr an app asked for (`acr_values`, OIDC
// Core §3.1.2.1; the authorization endpoint sends the browser here) proves a second factor the
// user has, then goes back to `callbackUrl`. A user without one is offered to set one up.
// /signin/step-up?acr=<value>&callbackUrl=<path>
import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { Alert, AuthShell, buttonClassName } from "@/components/ui";
import { SecondFactorForm } from "@/components/mfa/second-factor-form";
import { data } from "@/lib/runtime";
import { requireUser } from "@/lib/auth/session";
import { safeCallbackPath } from "@/lib/auth/safe-redirect";
import { ACR, ACR_VALUES, meetsAcrValues, parseAmr } from "@/lib/oauth/amr";
import { inSignInAction } from "../session";
import { stepUpCodeAction } from "./actions";
import { PasskeyButton } from "@/components/auth/passkey-button";
import { currentRelyingParty } from "@/app/_lib/webauthn";
import { stepUpPasskeyAction, stepUpPasskeyOptionsAction } from "./passkey-actions";

export const metadata: Metadata = { title: "Confirm it is you" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const linkClass = "font-medium text-brand-700 hover:underline";

export default async function StepUpPage({ searchParams }: Props) {
  const q = await searchParams;
  const callbackPath = safeCallbackPath(q.callbackUrl);
  // An acr this server does not know asks for the multi-factor level.
  const acr = typeof q.acr === "string" && ACR_VALUES.includes(q.acr) ? q.acr : ACR.mfa;
  const here = `/signin/step-up?acr=${encodeURIComponent(acr)}&callbackUrl=${encodeURIComponent(callbackPath)}`;
  const session = await requireUser(here);
  const method = q.method === "recovery" ? "recovery" : "totp";
  // Already enough (e.g. another tab stepped up): straight on. Not while answering the action (it redirects itself).
  if (meetsAcrValues(parseAmr(session.amr), [acr]) && !(await inSignInAction())) redirect(callbackPath);
  const factors = await data().mfa.factors(session.userId);
  const hidden = { acr, callbackUrl: callbackPath };
  const phishingResistant = acr === ACR.phishingResistant;
  return (
    <AuthShell
      title="Confirm it is you"
      subtitle="The app you came from asks for a second step before it continues."
      footer={
        <Link href={callbackPath === "/account" ? "/account" : "/"} className={linkClass}>
          Cancel
        </Link>
      }
    >
      <div className="flex flex-col gap-5">
        {factors.passkeys > 0 ? (
          // A passkey meets every acr (phr included). Needs JavaScript; without it, the code forms below.
          <PasskeyButton
            optionsAction={stepUpPasskeyOptionsAction}
            verifyAction={stepUpPasskeyAction}
            callbackPath={callbackPath}
            rpOrigin={currentRelyingParty()?.origin ?? null}
            label="Use a passkey"
            variant={phishingResistant || !factors.totp ? "primary" : "secondary"}
          />
        ) : null}
        {phishingResistant ? (
          factors.passkeys > 0 ? (
            <p className="text-sm text-neutral-600">This app asks for a passkey: a code from an app or a recovery code is not enough.</p>
          ) : (
            <div className="flex flex-col gap-4">
              <Alert tone="info">This app asks for a passkey, and your account has none yet.</Alert>
              <a href="/account/passkeys" className={buttonClassName({ block: true })}>
                Add a passkey
              </a>
            </div>
          )
        ) : factors.totp ? (
          <>
            <SecondFactorForm action={stepUpCodeAction} method={method} hidden={hidden} />
            <p className="text-center text-sm text-neutral-600">
              {method === "totp" ? (
                <Link href={`${here}&method=recovery`} className={linkClass}>
                  Use a recovery code
                </Link>
              ) : (
                <Link href={here} className={linkClass}>
                  Use your authenticator app
                </Link>
              )}
            </p>
          </>
        ) : factors.passkeys > 0 ? (
          <SecondFactorForm action={stepUpCodeAction} method="recovery" hidden={hidden} />
        ) : (
          <div className="flex flex-col gap-4">
            <p className="text-sm text-neutral-700">
              Your account has no second step yet. Set up an authenticator app; you will come back here when it is done.
            </p>
            <a href={`/account/security?callbackUrl=${encodeURIComponent(here)}`} className={buttonClassName({ block: true })}>
              Set up two-step verification
            </a>
          </div>
        )}
      </div>
    </AuthShell>
  );
}
