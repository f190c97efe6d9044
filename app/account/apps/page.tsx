// Connected apps: every client the user has allowed, and a way to take that back.
import type { Metadata } from "next";
import { Alert, Card } from "@/components/ui";
import { AccountFrame } from "@/components/account/account-frame";
import { ConnectedAppItem } from "@/components/account/connected-app-item";
import { RevokeAppButton } from "@/components/account/revoke-app-button";
import { data } from "@/lib/runtime";
import { requireUser } from "@/lib/auth/session";
import { portalShellProps } from "@/app/_lib/portal-frame";
import { revokeAppAction } from "./actions";

export const metadata: Metadata = { title: "Connected apps" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function ConnectedAppsPage({ searchParams }: Props) {
  const session = await requireUser("/account/apps");
  const q = await searchParams;
  const apps = await data().account.connectedApps(session.userId);
  return (
    <AccountFrame tab="apps" title="Connected apps" description="Apps you have allowed to use your Latchkey account." shell={portalShellProps(session)}>
      {q.revoked === "1" ? (
        <Alert tone="success">Access revoked. The app can no longer use your account.</Alert>
      ) : null}
      {apps.length === 0 ? (
        <Card>
          <div className="py-6 text-center">
            <p className="font-semibold text-neutral-900">No apps connected yet</p>
            <p className="mt-1 text-sm text-neutral-600">
              When you sign in to an app with Latchkey and allow it access, it shows up here, and you can revoke it at any time.
            </p>
          </div>
        </Card>
      ) : (
        <ul aria-label="Connected apps" className="flex flex-col gap-4">
          {apps.map((app) => (
            <ConnectedAppItem
              key={app.clientId}
              app={app}
              revoke={<RevokeAppButton action={revokeAppAction} clientId={app.clientId} appName={app.name} />}
            />
          ))}
        </ul>
      )}
    </AccountFrame>
  );
}
