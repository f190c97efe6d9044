// The signed-in user's account page.
import type { Metadata } from "next";
import { Card } from "@/components/ui";
import { PortalShell } from "@/components/portal/portal-shell";
import { portalShellProps, requireUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Your account" };

const dateTime = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

export default async function AccountPage() {
  const session = await requireUser("/account");
  const { user } = session;
  return (
    <PortalShell current="account" {...portalShellProps(session)}>
      <div className="flex flex-col gap-6">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight text-neutral-900">Your account</h1>
          <p className="mt-1 text-sm text-neutral-600">Your profile and this sign-in.</p>
        </div>
        <Card title="Profile">
          <dl className="grid gap-x-4 gap-y-1 text-sm sm:grid-cols-[10rem_1fr] sm:gap-y-4">
            <dt className="mt-3 font-medium text-neutral-500 first:mt-0 sm:mt-0">Name</dt>
            <dd className="text-neutral-900">{user.name ?? <span className="text-neutral-400">Not set</span>}</dd>
            <dt className="mt-3 font-medium text-neutral-500 first:mt-0 sm:mt-0">Email</dt>
            <dd className="break-all text-neutral-900">
              {user.email}{" "}
              <span className="ml-1 rounded-full bg-neutral-100 px-2 py-0.5 text-xs text-neutral-600">
                {user.emailVerified ? "verified" : "not verified"}
              </span>
            </dd>
            <dt className="mt-3 font-medium text-neutral-500 first:mt-0 sm:mt-0">Role</dt>
            <dd className="capitalize text-neutral-900">{user.role}</dd>
          </dl>
        </Card>
        <Card title="This session">
          <dl className="grid gap-x-4 gap-y-1 text-sm sm:grid-cols-[10rem_1fr] sm:gap-y-4">
            <dt className="mt-3 font-medium text-neutral-500 first:mt-0 sm:mt-0">Signed in</dt>
            <dd className="text-neutral-900">{dateTime.format(session.authTime)} UTC</dd>
            <dt className="mt-3 font-medium text-neutral-500 first:mt-0 sm:mt-0">Expires</dt>
            <dd className="text-neutral-900">{dateTime.format(session.expiresAt)} UTC</dd>
            <dt className="mt-3 font-medium text-neutral-500 first:mt-0 sm:mt-0">From</dt>
            <dd className="text-neutral-900">{session.ip ?? "unknown address"}</dd>
          </dl>
        </Card>
      </div>
    </PortalShell>
  );
}
