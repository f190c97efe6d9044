// Security: two-step verification (an authenticator app, TOTP) and recovery codes. Passkeys have
// their own page. `?callbackUrl=` (e.g. from the step-up page) adds a way back once set up.
import type { Metadata } from "next";
import Link from "next/link";
import { Alert, Card, buttonClassName, formatUtc } from "@/components/ui";
import { AccountFrame } from "@/components/account/account-frame";
import { TotpSetupForm } from "@/components/mfa/totp-setup-form";
import { DisableTotpForm } from "@/components/mfa/disable-totp-form";
import { RegenerateCodesForm } from "@/components/mfa/regenerate-codes-form";
import { data } from "@/lib/runtime";
import { getConfig } from "@/lib/config";
import { requireUser } from "@/lib/auth/session";
import { safeCallbackPath } from "@/lib/auth/safe-redirect";
import { newTotpSetup } from "@/lib/auth/totp-enrolment";
import { hasSecondFactor, policyRequiresMfa } from "@/lib/auth/mfa-policy";
import { RECOVERY_CODE_COUNT, RECOVERY_CODES_LOW } from "@/lib/auth/recovery-codes";
import { portalShellProps } from "@/app/_lib/portal-frame";
import { disableTotpAction, enableTotpAction, regenerateCodesAction } from "./actions";

export const metadata: Metadata = { title: "Security" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function SecurityPage({ searchParams }: Props) {
  const session = await requireUser("/account/security");
  const q = await searchParams;
  const back = typeof q.callbackUrl === "string" ? safeCallbackPath(q.callbackUrl, "") : "";
  const [factors, settings] = await Promise.all([data().mfa.factors(session.userId), data().settings.get()]);
  const required = policyRequiresMfa(settings.mfaPolicy, session.user);
  const done = back ? (
    <a href={back} className={buttonClassName({ className: "self-start" })}>
      Continue
    </a>
  ) : (
    <Link href="/account/security" className={buttonClassName({ variant: "secondary", className: "self-start" })}>
      Done
    </Link>
  );
  return (
    <AccountFrame tab="security" title="Security" description="A second step at sign-in keeps your account safe even if someone learns your password." shell={portalShellProps(session)}>
      {q.totp === "off" ? <Alert tone="success">Two-step verification with an authenticator app is off.</Alert> : null}
      {required && !hasSecondFactor(factors) ? (
        <Alert tone="warning" title="Two-step verification is required">
          Your organisation requires a second step at sign-in. Set up an authenticator app below.
        </Alert>
      ) : null}
      <Card
        title="Authenticator app"
        description="A 6-digit code from an app on your phone, asked after your password when you sign in."
      >
        <TotpSetupForm
          action={enableTotpAction}
          setup={factors.totpEnabledAt ? null : await newTotpSetup(session.user, getConfig().secret)}
          done={done}
          enrolled={
            factors.totpEnabledAt ? (
              <div className="flex flex-col gap-4">
                <p className="flex flex-wrap items-center gap-2 text-sm text-neutral-700">
                  <span className="rounded-full bg-green-50 px-2 py-0.5 text-xs font-medium text-green-800">On</span>
                  <span>Since {formatUtc(factors.totpEnabledAt)}</span>
                </p>
                <DisableTotpForm action={disableTotpAction} policyRequires={required} />
              </div>
            ) : null
          }
        />
      </Card>
      {hasSecondFactor(factors) ? (
        <Card title="Recovery codes" description="One-time codes that sign you in if you lose your authenticator app or passkey.">
          <div className="flex flex-col gap-4">
            <p className="text-sm text-neutral-700" data-testid="recovery-codes-left">
              {factors.recoveryCodesLeft} of {RECOVERY_CODE_COUNT} codes left.
            </p>
            {factors.recoveryCodesLeft < RECOVERY_CODES_LOW ? (
              <Alert tone="warning">
                {factors.recoveryCodesLeft === 0 ? "You have no recovery codes left." : "You are running out of recovery codes."} Make new ones so you can still get in if you lose your phone.
              </Alert>
            ) : null}
            <RegenerateCodesForm action={regenerateCodesAction} />
          </div>
        </Card>
      ) : null}
    </AccountFrame>
  );
}
