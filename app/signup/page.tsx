// Sign-up page (turned off with SIGNUP_ENABLED=false).
import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { Alert, AuthShell } from "@/components/ui";
import { SignUpForm } from "@/components/auth/sign-up-form";
import { currentSession } from "@/lib/auth/session";
import { safeCallbackPath } from "@/lib/auth/safe-redirect";
import { PASSWORD_MIN_LENGTH } from "@/lib/auth/password";
import { getConfig } from "@/lib/config";
import { signUpAction } from "./actions";

export const metadata: Metadata = { title: "Create an account" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function SignUpPage({ searchParams }: Props) {
  const q = await searchParams;
  const callbackPath = safeCallbackPath(q.callbackUrl);
  if (await currentSession()) redirect(callbackPath);
  const signinLink = (
    <>
      Already have an account?{" "}
      <Link href={`/signin?callbackUrl=${encodeURIComponent(callbackPath)}`} className="font-medium text-brand-700 hover:underline">
        Sign in
      </Link>
    </>
  );
  if (!getConfig().signupEnabled) {
    return (
      <AuthShell title="Create an account" footer={signinLink}>
        <Alert tone="info" title="Sign-up is turned off">
          This server does not accept new accounts. Ask your administrator for one.
        </Alert>
      </AuthShell>
    );
  }
  return (
    <AuthShell title="Create your Latchkey account" subtitle="One account for every app that uses Latchkey." footer={signinLink}>
      <SignUpForm action={signUpAction} callbackPath={callbackPath} minPasswordLength={PASSWORD_MIN_LENGTH} />
    </AuthShell>
  );
}
