// After deleting one's own account: the session and its cookies are gone; this page needs none.
// Someone signed in (another account, or a link followed later) is sent to their account instead.
import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { Alert, AuthShell } from "@/components/ui";
import { currentSession } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Account deleted" };

export default async function AccountDeletedPage() {
  if (await currentSession()) redirect("/account");
  return (
    <AuthShell title="Your account was deleted">
      <div className="flex flex-col gap-4">
        <Alert tone="success">
          Your account, its sessions, connected apps, tokens and second factors have been removed, and you are signed out.
        </Alert>
        <p className="text-sm text-neutral-700">
          Apps you used with it can no longer get your data. If you change your mind, you can{" "}
          <Link href="/signup" className="font-medium text-brand-700 hover:underline">
            create a new account
          </Link>
          .
        </p>
      </div>
    </AuthShell>
  );
}
