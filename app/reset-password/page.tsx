// The page a reset or invitation link opens: the new password twice. The link is checked (read
// only) to show either the form or a "request a new link" page; it is used by the form's action.
// The token never reaches another site: Referrer-Policy same-origin on every page (a no-referrer
// policy would make the browser send `Origin: null` on this form's post, which Next's server
// actions refuse), the page loads nothing from elsewhere, and scripts drop it from the address bar.
import type { Metadata } from "next";
import { AuthShell } from "@/components/ui";
import { DeadLink, SetPasswordForm } from "@/components/auth/set-password-form";
import { data } from "@/lib/runtime";
import { PASSWORD_MIN_LENGTH } from "@/lib/auth/password";
import { setPasswordAction } from "./actions";

export const metadata: Metadata = { title: "Choose a password", referrer: "same-origin" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function ResetPasswordPage({ searchParams }: Props) {
  const q = await searchParams;
  const token = typeof q.token === "string" ? q.token : "";
  const link = token ? await data().emailTokens.peek(token, ["reset", "invite"]) : null;
  if (!link) {
    return (
      <AuthShell title="Choose a password">
        <DeadLink />
      </AuthShell>
    );
  }
  const invite = link.purpose === "invite";
  return (
    <AuthShell
      title={invite ? "Welcome: choose your password" : "Choose a new password"}
      subtitle={invite ? `Your account is ${link.email}.` : `For ${link.email}. Every browser and app signed in to it will be signed out.`}
    >
      <SetPasswordForm
        action={setPasswordAction}
        token={token}
        email={link.email}
        minPasswordLength={PASSWORD_MIN_LENGTH}
        submitLabel={invite ? "Set my password" : "Set new password"}
      />
    </AuthShell>
  );
}
