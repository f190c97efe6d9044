// The signed-in user's account: profile (name, email) and what the account is.
import type { Metadata } from "next";
import Link from "next/link";
import { Alert, Button, Card, buttonClassName, formatUtc } from "@/components/ui";
import { AccountFrame } from "@/components/account/account-frame";
import { ProfileForm } from "@/components/account/profile-form";
import { requireUser } from "@/lib/auth/session";
import { portalShellProps } from "@/app/_lib/portal-frame";
import { updateProfileAction } from "./actions";

export const metadata: Metadata = { title: "Your account" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function AccountPage({ searchParams }: Props) {
  const session = await requireUser("/account");
  const q = await searchParams;
  const { user } = session;
  return (
    <AccountFrame tab="profile" title="Your account" description="Your profile, the apps you use with it, and where you are signed in." shell={portalShellProps(session)}>
      {q.saved === "1" ? <Alert tone="success">Your profile was saved.</Alert> : null}
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
