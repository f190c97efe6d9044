"use client";
// The page a verification or email-change link opens: one button that posts the link (a plain
// POST without JavaScript), then on to sign-in or the account page.
import { useActionState, useEffect } from "react";
import Link from "next/link";
import { Alert, Button } from "@/components/ui";

/** What the action answers when the link did not work (app/verify-email/actions.ts). */
export type VerifyEmailState = { failed?: "invalid" | "taken" | "stale" };

type Action = (prev: VerifyEmailState, form: FormData) => Promise<VerifyEmailState>;

const FAILED = {
  invalid: "This link does not work any more: it may have expired, been used already, or been replaced by a newer one.",
  taken: "Another account uses this address now, so it cannot become yours.",
  stale: "This link was for an address your account no longer has.",
} as const;

export function VerifyEmailForm({ action, token, label }: { action: Action; token: string; label: string }) {
  const [state, formAction, pending] = useActionState(action, {});
  useEffect(() => {
    if (window.location.search.includes("token=")) window.history.replaceState(null, "", window.location.pathname);
  }, []);
  if (state.failed) return <DeadVerifyLink message={FAILED[state.failed]} />;
  return (
    <form action={formAction} className="flex flex-col gap-5">
      <input type="hidden" name="token" value={token} />
      <Button type="submit" block pending={pending}>
        {label}
      </Button>
    </form>
  );
}

export function DeadVerifyLink({ message = FAILED.invalid }: { message?: string }) {
  return (
    <div className="flex flex-col gap-5">
      <Alert tone="error" title="This link does not work">
        {message} Sign in and ask for a new link on your account page.
      </Alert>
      <Link href="/account" className="text-center text-sm font-medium text-brand-700 hover:underline">
        Go to your account
      </Link>
    </div>
  );
}
