// /account/delete: the confirmation step of deleting one's own account. Says exactly what goes
// (with this account's numbers), what stays (clients and APIs the user registered, audit events
// without the email address), and that it cannot be undone; then the current password.
import type { Metadata } from "next";
import Link from "next/link";
import { Alert, Card, buttonClassName } from "@/components/ui";
import { AccountFrame } from "@/components/account/account-frame";
import { DeleteAccountForm } from "@/components/account/delete-account-form";
import { data } from "@/lib/runtime";
import { requireUser } from "@/lib/auth/session";
import { portalShellProps } from "@/app/_lib/portal-frame";
import { deleteAccountAction } from "./actions";
import { PasskeyButton } from "@/components/auth/passkey-button";
import { recentPasskey } from "@/lib/auth/account-deletion";
import { parseAmr } from "@/lib/oauth/amr";
import { currentRelyingParty } from "@/app/_lib/webauthn";
import { stepUpPasskeyAction, stepUpPasskeyOptionsAction } from "@/app/signin/step-up/passkey-actions";

export const metadata: Metadata = { title: "Delete your account" };

const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export default async function DeleteAccountPage() {
  const session = await requireUser("/account/delete");
  const p = await data().accountDeletion.preview(session.userId);
  // Instead of the password: a passkey, used here through the step-up (it marks the session).
  const passkeyConfirmed = recentPasskey({ amr: parseAmr(session.amr), authTime: session.authTime });
  const owned = [...p.ownedClients.map((c) => c.name), ...p.ownedApis.map((a) => `${a.name} (API)`)];
  return (
    <AccountFrame
      tab="profile"
      title="Delete your account"
      description="This removes your account for good. It cannot be undone."
      shell={portalShellProps(session)}
    >
      {p.lastAdmin ? (
        <Card>
          <div className="flex flex-col gap-4">
            <Alert tone="error" title="You are the only admin">
              This server must keep an admin. Make someone else an admin in the admin console before you delete your account.
            </Alert>
            <div>
              <Link href="/account" className={buttonClassName({ variant: "secondary" })}>
                Back to your account
              </Link>
            </div>
          </div>
        </Card>
      ) : (
        <Card>
          {p.passkeys > 0 && !passkeyConfirmed ? (
            <div className="mb-4 flex flex-col gap-2">
              <PasskeyButton
                optionsAction={stepUpPasskeyOptionsAction}
                verifyAction={stepUpPasskeyAction}
                callbackPath="/account/delete"
                rpOrigin={currentRelyingParty()?.origin ?? null}
                label="Confirm with a passkey instead of your password"
              />
            </div>
          ) : null}
          <DeleteAccountForm action={deleteAccountAction} email={session.user.email} passkeyConfirmed={passkeyConfirmed}>
            <p className="font-semibold">Delete {session.user.email} permanently?</p>
            <p>Removed at once, for good:</p>
            <ul className="list-disc space-y-1 pl-5">
              <li>your profile (email address and name) and your password;</li>
              <li>
                {count(p.connectedApps, "connected app")} and {count(p.tokens, "live token")}: every app you allowed loses access
                immediately (its access tokens are reported inactive from now on);
              </li>
              <li>{count(p.sessions, "signed-in session")}, this one included;</li>
              <li>
                your second factors: authenticator app {p.totp ? "(on)" : "(not set up)"}, {count(p.passkeys, "passkey")},{" "}
                {count(p.recoveryCodes, "unused recovery code")}.
              </li>
            </ul>
            {owned.length ? (
              <p>
                Kept: what you registered for other people to use ({owned.join(", ")}) keeps working for its users, without an owner;
                only an admin can manage it then. Delete it in the{" "}
                <Link href="/dashboard" className="font-medium underline">
                  developer dashboard
                </Link>{" "}
                first if you want it gone.
              </p>
            ) : null}
            <p>
              The security log keeps a record of what this account did, without your email address, until it is purged
              automatically.
            </p>
          </DeleteAccountForm>
        </Card>
      )}
    </AccountFrame>
  );
}
