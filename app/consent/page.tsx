// The consent screen (/consent?request=ID). The server validates the parked request (it must
// be open and belong to this session) and shows it; the form only carries the decision.
// Not frameable: next.config.js sends X-Frame-Options DENY and frame-ancestors 'none' on every
// path (RFC 6749 §10.13).
import type { Metadata } from "next";
import Link from "next/link";
import { Alert, AuthShell } from "@/components/ui";
import { ConsentDetails } from "@/components/consent/consent-details";
import { ConsentForm } from "@/components/consent/consent-form";
import { SignedInAs } from "@/components/consent/signed-in-as";
import { data } from "@/lib/runtime";
import { requireUser } from "@/lib/auth/session";
import { protocolSessionOf } from "@/lib/auth/portal-session";
import { CONSENT_PROBLEMS, loadConsent } from "@/lib/oauth/authorize";
import { signOutAction } from "@/app/actions/sign-out";
import { consentAction } from "./actions";
import { isSafeId } from "@/lib/oauth/text";

export const metadata: Metadata = { title: "Allow access?" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function ConsentPage({ searchParams }: Props) {
  const q = await searchParams;
  const requestId = isSafeId(q.request, 64) ? q.request : null;
  const session = await requireUser(requestId ? `/consent?request=${requestId}` : "/consent");
  const result = await loadConsent(data().oauth, requestId, protocolSessionOf(session));

  if (!result.ok) {
    const problem = CONSENT_PROBLEMS[result.problem];
    return (
      <AuthShell title={problem.title}>
        <div className="flex flex-col gap-4">
          <Alert tone="error">{problem.description}</Alert>
          <Link href="/account" className="text-center text-sm font-medium text-brand-700 hover:underline">
            Go to your Latchkey account
          </Link>
        </div>
      </AuthShell>
    );
  }

  const { view } = result;
  return (
    <AuthShell
      title={<span className="break-words">Allow {view.client.name} to use your account?</span>}
      subtitle="Only allow applications you trust."
      footer={<SignedInAs email={session.user.email} signOutAction={signOutAction} />}
    >
      <div className="flex flex-col gap-6">
        <ConsentDetails view={view} />
        <ConsentForm action={consentAction} requestId={view.requestId} />
      </div>
    </AuthShell>
  );
}
