// The page a verification or email-change link opens: the link is checked (read only) and one
// button uses it (app/verify-email/actions.ts says why a POST).
import type { Metadata } from "next";
import { AuthShell } from "@/components/ui";
import { DeadVerifyLink, VerifyEmailForm } from "@/components/auth/verify-email-form";
import { data } from "@/lib/runtime";
import { verifyEmailAction } from "./actions";

export const metadata: Metadata = { title: "Confirm your email address", referrer: "same-origin" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function VerifyEmailPage({ searchParams }: Props) {
  const q = await searchParams;
  const token = typeof q.token === "string" ? q.token : "";
  const link = token ? await data().emailTokens.peek(token, ["verify", "email_change"]) : null;
  if (!link) {
    return (
      <AuthShell title="Confirm your email address">
        <DeadVerifyLink />
      </AuthShell>
    );
  }
  const change = link.purpose === "email_change";
  return (
    <AuthShell
      title={change ? "Confirm your new email address" : "Confirm your email address"}
      subtitle={change ? `Your account's address becomes ${link.email}; you will sign in with it.` : `Confirm that ${link.email} is your address.`}
    >
      <VerifyEmailForm action={verifyEmailAction} token={token} label={change ? "Change my address" : "Confirm my address"} />
    </AuthShell>
  );
}
