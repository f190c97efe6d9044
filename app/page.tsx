// Landing page: what this is, and the way in.
import Link from "next/link";
import { AuthShell, buttonClassName } from "@/components/ui";
import { currentSession } from "@/lib/auth/session";
import { getConfig } from "@/lib/config";

export default async function Home() {
  const session = await currentSession();
  const { signupEnabled } = getConfig();
  return (
    <AuthShell title="Latchkey" subtitle="Sign in once, use it everywhere: the identity portal for your apps.">
      {session ? (
        <div className="flex flex-col gap-4">
          <p className="text-sm text-neutral-700">
            Signed in as <span className="font-medium text-neutral-900">{session.user.email}</span>.
          </p>
          <Link href="/account" className={buttonClassName({ block: true })}>
            Go to your account
          </Link>
        </div>
      ) : (
        <div className="flex flex-col gap-3">
          <Link href="/signin" className={buttonClassName({ block: true })}>
            Sign in
          </Link>
          {signupEnabled ? (
            <Link href="/signup" className={buttonClassName({ block: true, variant: "secondary" })}>
              Create an account
            </Link>
          ) : null}
        </div>
      )}
    </AuthShell>
  );
}
