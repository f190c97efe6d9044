// Change password. Also where requireUser sends a user an admin asked to pick a new password
// (User.mustResetPassword): the rest of the portal stays closed until they do.
import type { Metadata } from "next";
import { Alert, Card } from "@/components/ui";
import { AccountFrame } from "@/components/account/account-frame";
import { PasswordForm } from "@/components/account/password-form";
import { PASSWORD_MIN_LENGTH } from "@/lib/auth/password";
import { PASSWORD_RESET_PATH, requireUser } from "@/lib/auth/session";
import { portalShellProps } from "@/app/_lib/portal-frame";
import { changePasswordAction } from "./actions";

export const metadata: Metadata = { title: "Change password" };

export default async function PasswordPage() {
  const session = await requireUser(PASSWORD_RESET_PATH, { passwordResetPage: true });
  const forced = session.user.mustResetPassword;
  return (
    <AccountFrame
      tab="password"
      title={forced ? "Choose a new password" : "Change password"}
      description="Changing it signs you out everywhere else, and your connected apps too unless you keep them; this browser stays signed in."
      shell={portalShellProps(session)}
      hideTabs={forced}
    >
      {forced ? (
        <Alert tone="warning" title="Your password must be changed">
          An administrator asked you to choose a new password before you continue.
        </Alert>
      ) : null}
      <Card title="Password">
        <PasswordForm action={changePasswordAction} email={session.user.email} minPasswordLength={PASSWORD_MIN_LENGTH} />
      </Card>
    </AccountFrame>
  );
}
