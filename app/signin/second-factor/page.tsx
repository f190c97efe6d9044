// The second step of sign-in, after a right password: a code from the authenticator app or a
// recovery code or a passkey ("Use a passkey", components/auth/passkey-button.tsx), or, when the MFA policy requires a
// second factor and the user has none, setting up an authenticator app first. Only a browser with
// a pending sign-in (app/signin/pending-cookie.ts) gets here; the rest go back to the password.
import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { AuthShell, Alert } from "@/components/ui";
import { SecondFactorForm } from "@/components/mfa/second-factor-form";
import { TotpSetupForm } from "@/components/mfa/totp-setup-form";
import { ContinueForm } from "@/components/mfa/continue-form";
import { data } from "@/lib/runtime";
import { getConfig } from "@/lib/config";
import { newTotpSetup } from "@/lib/auth/totp-enrolment";
import { pendingSignInAsSent, readPendingSignIn } from "../pending-cookie";
import { inSignInAction } from "../session";
import { continueAfterEnrolmentAction, enrolTotpAction, verifyCodeAction } from "./actions";
import { PasskeyButton } from "@/components/auth/passkey-button";
import { currentRelyingParty } from "@/app/_lib/webauthn";
import { secondFactorPasskeyAction, secondFactorPasskeyOptionsAction } from "./passkey-actions";

export const metadata: Metadata = { title: "Two-step verification" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const linkClass = "font-medium text-brand-700 hover:underline";

export default async function SecondFactorPage({ searchParams }: Props) {
  const q = await searchParams;
  // Answering the action that just finished the sign-in (it cleared the cookie): the same page as
  // before, so that the form that posted stays and follows the redirect it got.
  const pending = (await readPendingSignIn()) ?? ((await inSignInAction()) ? await pendingSignInAsSent() : null);
  if (!pending) redirect("/signin?error=expired");
  const user = await data().users.findById(pending.userId);
  if (!user || user.disabled) redirect(`/signin?error=expired&callbackUrl=${encodeURIComponent(pending.callbackPath)}`);
  const startOver = (
    <>
      Not you?{" "}
      <Link href={`/signin?callbackUrl=${encodeURIComponent(pending.callbackPath)}`} className={linkClass}>
        Sign in with another account
      </Link>
    </>
  );

  if (pending.step === "enrol") {
    return (
      <AuthShell title="Set up two-step verification" subtitle="Your organisation requires a second step when you sign in. It takes a minute." footer={startOver}>
        <TotpSetupForm
          action={enrolTotpAction}
          setup={pending.verified ? null : await newTotpSetup(user, getConfig().secret)}
          done={<ContinueForm action={continueAfterEnrolmentAction} label="I have saved my codes, continue" />}
          enrolled={
            <div className="flex flex-col gap-5">
              <Alert tone="success">Two-step verification is on. You can make new recovery codes on your account’s Security page.</Alert>
              <ContinueForm action={continueAfterEnrolmentAction} label="Continue" />
            </div>
          }
        />
      </AuthShell>
    );
  }

  const factors = await data().mfa.factors(user.id);
  // Without an authenticator app (passkeys only), the recovery code is the way in here.
  const method = q.method === "recovery" || !factors.totp ? "recovery" : "totp";
  return (
    <AuthShell
      title="Two-step verification"
      subtitle={
        method === "totp"
          ? "Enter the code from your authenticator app."
          : factors.passkeys > 0 && !factors.totp
            ? "Use your passkey, or enter one of your recovery codes."
            : "Enter one of your recovery codes."
      }
      footer={startOver}
    >
      <div className="flex flex-col gap-5">
        {factors.passkeys > 0 ? (
          // Needs JavaScript (WebAuthn): renders nothing without it, and the code form stays.
          <PasskeyButton
            optionsAction={secondFactorPasskeyOptionsAction}
            verifyAction={secondFactorPasskeyAction}
            callbackPath={pending.callbackPath}
            rpOrigin={currentRelyingParty()?.origin ?? null}
            label="Use a passkey"
            variant={factors.totp ? "secondary" : "primary"}
          />
        ) : null}
        <SecondFactorForm action={verifyCodeAction} method={method} />
        {factors.totp ? (
          <p className="text-center text-sm text-neutral-600">
            {method === "totp" ? (
              <Link href="/signin/second-factor?method=recovery" className={linkClass}>
                Use a recovery code
              </Link>
            ) : (
              <Link href="/signin/second-factor" className={linkClass}>
                Use your authenticator app
              </Link>
            )}
          </p>
        ) : null}
      </div>
    </AuthShell>
  );
}
