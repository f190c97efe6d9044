// Sign-in page. Already signed in: straight on to where the user was going.
import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { Alert, AuthShell } from "@/components/ui";
import { signInNotice } from "@/lib/auth/sign-in-messages";
import { SignInForm } from "@/components/auth/sign-in-form";
import { PasskeyButton } from "@/components/auth/passkey-button";
import { currentSession, PASSWORD_RESET_PATH } from "@/lib/auth/session";
import { safeCallbackPath } from "@/lib/auth/safe-redirect";
import { getConfig } from "@/lib/config";
import { signInAction } from "./actions";
import { inSignInAction } from "./session";
import { passkeySignInAction, passkeySignInOptionsAction } from "./passkey-actions";
import { currentRelyingParty } from "@/app/_lib/webauthn";
import { readPendingSignIn, SECOND_FACTOR_PATH } from "./pending-cookie";

export const metadata: Metadata = { title: "Sign in" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function SignInPage({ searchParams }: Props) {
  const q = await searchParams;
  const callbackPath = safeCallbackPath(q.callbackUrl ?? q.next);
  // prompt=login (OIDC Core §3.1.2.1): the app asks for a fresh sign-in, session or not.
  const reauth = q.prompt === "login";
  // Not while answering the sign-in action itself (it sets the cookie, so Next renders this page
  // again in the same response): the form then makes a full navigation to the callback, which a
  // redirect here would turn into a client-side one (app/signin/session.ts, goOnTo).
  const signedIn = reauth || (await inSignInAction()) ? null : await currentSession();
  // Signed in but told to reset the password (an admin's order): that page first, whatever the
  // callback (the authorization endpoint treats such a session as signed out, so it would loop).
  if (signedIn) redirect(signedIn.user.mustResetPassword ? PASSWORD_RESET_PATH : callbackPath);
  const error = typeof q.error === "string" ? q.error : undefined;
  // next-auth's endpoint refuses with "second_factor" after a right password when a second factor
  // follows; it has set the pending sign-in (app/api/auth/[...nextauth]/options.ts).
  if (error === "second_factor" && (await readPendingSignIn())) redirect(SECOND_FACTOR_PATH);
  const signup = getConfig().signupEnabled;
  const notice = signInNotice(q.notice);
  return (
    <AuthShell
      title={reauth ? "Sign in again" : "Sign in to Latchkey"}
      subtitle={reauth ? "The app you came from asks you to confirm it is you." : "Use your Latchkey account to continue."}
      footer={
        signup ? (
          <>
            New here?{" "}
            <Link href={`/signup?callbackUrl=${encodeURIComponent(callbackPath)}`} className="font-medium text-brand-700 hover:underline">
              Create an account
            </Link>
          </>
        ) : undefined
      }
    >
      {notice ? (
        <Alert tone="success" className="mb-5">
          {notice}
        </Alert>
      ) : null}
      <SignInForm
        action={signInAction}
        callbackPath={callbackPath}
        initialError={error}
        defaultEmail={typeof q.login_hint === "string" ? q.login_hint : undefined}
      />
      <div className="mt-5 empty:hidden">
        {/* Passkeys as the first factor (usernameless; also offered in the Email field's autofill). */}
        <PasskeyButton
          optionsAction={passkeySignInOptionsAction}
          verifyAction={passkeySignInAction}
          callbackPath={callbackPath}
          rpOrigin={currentRelyingParty()?.origin ?? null}
          autofill
          separator
        />
      </div>
      <p className="mt-4 text-center text-sm">
        <Link href="/forgot-password" className="font-medium text-brand-700 hover:underline">
          Forgot password?
        </Link>
      </p>
    </AuthShell>
  );
}
