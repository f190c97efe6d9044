// The signed-in user's account: profile (name, email) and what the account is.
import type { Metadata } from "next";
import Link from "next/link";
import { Alert, Button, Card, buttonClassName, formatUtc } from "@/components/ui";
import { AccountFrame } from "@/components/account/account-frame";
import { ProfileForm } from "@/components/account/profile-form";
import { requireUser } from "@/lib/auth/session";
import { portalShellProps } from "@/app/_lib/portal-frame";
import { resendVerificationAction, updateProfileAction } from "./actions";
import { MAIL_FAILED_MESSAGE } from "@/lib/mail/mailer";

/** What `?email=` says after an email action (resend, change, a used link). */
const EMAIL_NOTICES: Record<string, { tone: "success" | "warning" | "error"; text: string }> = {
  pending: { tone: "success", text: "We sent a link to your new address. Your email changes when you open it; until then you sign in with the current one." },
  sent: { tone: "success", text: "We sent a new confirmation link to your address." },
  verified: { tone: "success", text: "Your email address is confirmed." },
  changed: { tone: "success", text: "Your new email address is confirmed. Sign in with it from now on." },
  throttled: { tone: "warning", text: "You asked for several links already. Wait an hour, or use the newest link you received." },
  failed: { tone: "error", text: MAIL_FAILED_MESSAGE },
};

export const metadata: Metadata = { title: "Your account" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function AccountPage({ searchParams }: Props) {
  const session = await requireUser("/account");
  const q = await searchParams;
  const { user } = session;
  return (
    <AccountFrame tab="profile" title="Your account" description="Your profile, the apps you use with it, and where you are signed in." shell={portalShellProps(session)}>
      {q.saved === "1" ? <Alert tone="success">Your profile was saved.</Alert> : null}
      {typeof q.email === "string" && Object.hasOwn(EMAIL_NOTICES, q.email) ? (
        <Alert tone={EMAIL_NOTICES[q.email]!.tone}>{EMAIL_NOTICES[q.email]!.text}</Alert>
      ) : null}
      {q.password === "changed" ? (
        <Alert tone="success">Your password was changed. Every other browser was signed out.</Alert>
      ) : null}
      <Card title="Profile" description="How apps you connect see you.">
        <ProfileForm action={updateProfileAction} name={user.name} email={user.email} />
      </Card>
      <Card title="Account">
        <dl className="grid gap-x-4 gap-y-1 text-sm sm:grid-cols-[10rem_1fr] sm:gap-y-4">
          <dt className="mt-3 font-medium text-neutral-500 first:mt-0 sm:mt-0">Email</dt>
          <dd className="text-neutral-900">
            <span className="break-all">{user.email}</span>{" "}
            <span className="ml-1 inline-block whitespace-nowrap rounded-full bg-neutral-100 px-2 py-0.5 text-xs text-neutral-600">
              {user.emailVerified ? "verified" : "not verified"}
            </span>
            {user.emailVerified ? null : (
              <form action={resendVerificationAction} className="mt-2">
                <Button type="submit" size="sm" variant="secondary">
                  Send a new confirmation link
                </Button>
              </form>
            )}
          </dd>
          <dt className="mt-3 font-medium text-neutral-500 first:mt-0 sm:mt-0">Role</dt>
          <dd className="capitalize text-neutral-900">{user.role}</dd>
          <dt className="mt-3 font-medium text-neutral-500 first:mt-0 sm:mt-0">Member since</dt>
          <dd className="text-neutral-900">{formatUtc(user.createdAt)}</dd>
          <dt className="mt-3 font-medium text-neutral-500 first:mt-0 sm:mt-0">This sign-in</dt>
          <dd className="text-neutral-900">
            {formatUtc(session.authTime)} from {session.ip ?? "an unknown address"}
          </dd>
        </dl>
      </Card>
      <Card title="Your data" description="A copy of what this server keeps about you, as a JSON file: your profile, connected apps, sessions, second factors and the last 90 days of security events.">
        {/* A POST (not a link): another site cannot make your browser download it (app/account/export/route.ts). */}
        <form method="post" action="/account/export">
          <Button type="submit" variant="secondary">
            Download my data
          </Button>
        </form>
      </Card>
      <Card title="Delete account" description="Remove your account, its connected apps, sessions and second factors for good.">
        <Link href="/account/delete" className={buttonClassName({ variant: "danger" })}>
          Delete my account…
        </Link>
      </Card>
    </AccountFrame>
  );
}
