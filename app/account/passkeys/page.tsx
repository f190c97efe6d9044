// The account's passkeys: the list (rename, remove; no script needed) and "Add a passkey"
// (the WebAuthn ceremony, which needs JavaScript).
import type { Metadata } from "next";
import Link from "next/link";
import { Alert, Card } from "@/components/ui";
import { AccountFrame } from "@/components/account/account-frame";
import { AddPasskey } from "@/components/account/add-passkey";
import { PasskeyList } from "@/components/account/passkey-list";
import { data } from "@/lib/runtime";
import { requireUser } from "@/lib/auth/session";
import { portalShellProps } from "@/app/_lib/portal-frame";
import { currentRelyingParty } from "@/app/_lib/webauthn";
import { passkeyRegisterAction, passkeyRegistrationOptionsAction, removePasskeyAction, renamePasskeyAction } from "./actions";

export const metadata: Metadata = { title: "Passkeys" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function PasskeysPage({ searchParams }: Props) {
  const session = await requireUser("/account/passkeys");
  const q = await searchParams;
  const passkeys = await data().passkeys.listByUser(session.userId);
  // A passkey is a second factor too (the sign-in asks for it after the password): without
  // recovery codes, losing the device locks the user out until an admin resets their factors.
  const noRecoveryCodes = passkeys.length > 0 && (await data().mfa.factors(session.userId)).recoveryCodesLeft === 0;
  return (
    <AccountFrame
      tab="passkeys"
      title="Passkeys"
      description="Sign in with your fingerprint, face or device PIN instead of your password. A passkey cannot be phished or reused on another site."
      shell={portalShellProps(session)}
    >
      {q.added === "1" ? <Alert tone="success">Your passkey was added. You can now use it to sign in.</Alert> : null}
      {q.renamed === "1" ? <Alert tone="success">The passkey was renamed.</Alert> : null}
      {q.removed === "1" ? <Alert tone="success">The passkey was removed.</Alert> : null}
      {noRecoveryCodes ? (
        // A standing hint, not news: a polite status, so that it never competes with an error.
        <Alert tone="info">
          You have no recovery codes. If you lose this device, they are how you get back in.{" "}
          <Link href="/account/security" className="font-medium underline">
            Make recovery codes
          </Link>
        </Alert>
      ) : null}
      <Card title="Add a passkey" description="Your browser or phone will ask you to confirm with your fingerprint, face or screen lock.">
        <AddPasskey startAction={passkeyRegistrationOptionsAction} finishAction={passkeyRegisterAction} rpOrigin={currentRelyingParty()?.origin ?? null} />
      </Card>
      <section aria-labelledby="your-passkeys" className="flex flex-col gap-3">
        <h2 id="your-passkeys" className="text-base font-semibold text-neutral-900">
          Your passkeys
        </h2>
        <PasskeyList
          passkeys={passkeys.map((p) => ({ id: p.id, name: p.name, createdAt: p.createdAt, lastUsedAt: p.lastUsedAt, synced: p.backedUp }))}
          renameAction={renamePasskeyAction}
          removeAction={removePasskeyAction}
        />
      </section>
    </AccountFrame>
  );
}
