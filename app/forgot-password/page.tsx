// Forgot password: ask for a link by email (lib/auth/password-reset.ts).
import type { Metadata } from "next";
import Link from "next/link";
import { Alert, AuthShell } from "@/components/ui";
import { ForgotPasswordForm } from "@/components/auth/forgot-password-form";
import { getConfig } from "@/lib/config";
import { forgotPasswordAction } from "./actions";

export const metadata: Metadata = { title: "Forgot password" };

export default function ForgotPasswordPage() {
  const mail = getConfig().mail;
  return (
    <AuthShell
      title="Forgot your password?"
      subtitle="Enter your account's email address and we will send you a link to choose a new password."
      footer={
        <>
          Remembered it?{" "}
          <Link href="/signin" className="font-medium text-brand-700 hover:underline">
            Sign in
          </Link>
        </>
      }
    >
      {!mail.smtpUrl && !mail.printLinks ? (
        <Alert tone="warning" className="mb-5">
          This server cannot send email yet, so the link will not reach you. Ask an administrator to reset your password.
        </Alert>
      ) : null}
      <ForgotPasswordForm action={forgotPasswordAction} />
    </AuthShell>
  );
}
