// Where the user is signed in: every live portal session, this browser marked, and a way to
// sign the others out.
import type { Metadata } from "next";
import { Alert, Card, formatUtc } from "@/components/ui";
import { AccountFrame } from "@/components/account/account-frame";
import { SignOutOthersButton, SignOutSessionButton } from "@/components/account/session-forms";
import { data } from "@/lib/runtime";
import { requireUser } from "@/lib/auth/session";
import { portalShellProps } from "@/app/_lib/portal-frame";
import { describeUserAgent } from "@/lib/auth/user-agent";
import { sessionHandle } from "@/lib/db/account";
import { revokeOtherSessionsAction, revokeSessionAction } from "./actions";

export const metadata: Metadata = { title: "Sessions" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function SessionsPage({ searchParams }: Props) {
  const session = await requireUser("/account/sessions");
  const q = await searchParams;
  const here = sessionHandle(session.id);
  const sessions = await data().account.sessions(session.userId);
  // This browser first, then the others as listed (most recently seen first).
  const ordered = [...sessions.filter((s) => s.handle === here), ...sessions.filter((s) => s.handle !== here)];
  const others = ordered.length - 1;
  return (
    <AccountFrame tab="sessions" title="Sessions" description="Browsers where you are signed in to Latchkey." shell={portalShellProps(session)}>
      {q.ended === "1" ? <Alert tone="success">That browser was signed out.</Alert> : null}
      {q.ended === "all" ? <Alert tone="success">Every other browser was signed out.</Alert> : null}
      <ul aria-label="Sessions" className="flex flex-col gap-3">
        {ordered.map((s) => {
          const device = describeUserAgent(s.userAgent);
          const current = s.handle === here;
          return (
            <li key={s.handle} className="rounded-xl border border-neutral-200 bg-white p-4 shadow-sm sm:p-5">
              <div className="flex flex-col gap-3 sm:flex-row sm:items-start sm:justify-between">
                <div className="min-w-0">
                  <p className="flex flex-wrap items-center gap-2 font-semibold text-neutral-900">
                    <span>{device}</span>
                    {current ? (
                      <span className="rounded-full bg-green-50 px-2 py-0.5 text-xs font-medium text-green-800">This browser</span>
                    ) : null}
                  </p>
                  <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
                    <dt className="text-neutral-500">Address</dt>
                    <dd className="break-all text-neutral-900">{s.ip ?? "Unknown"}</dd>
                    <dt className="text-neutral-500">Signed in</dt>
                    <dd className="text-neutral-900">{formatUtc(s.authTime)}</dd>
                    <dt className="text-neutral-500">Last seen</dt>
                    <dd className="text-neutral-900">{formatUtc(s.lastSeenAt)}</dd>
                  </dl>
                </div>
                {current ? null : <SignOutSessionButton action={revokeSessionAction} handle={s.handle} device={device} />}
              </div>
            </li>
          );
        })}
      </ul>
      {others > 0 ? (
        <Card title="Sign out everywhere else" description={`Ends the ${others === 1 ? "other session" : `${others} other sessions`}; this browser stays signed in.`}>
          <SignOutOthersButton action={revokeOtherSessionsAction} />
        </Card>
      ) : (
        <p className="text-sm text-neutral-600">You are not signed in anywhere else.</p>
      )}
    </AccountFrame>
  );
}
