"use client";
// The sign-in form (contract: fields "Email" and "Password", button "Sign in"). next-auth's
// credentials endpoint checks the password; refusals come back as a code turned into words.
import { useState, type FormEvent } from "react";
import { signIn } from "next-auth/react";
import { Alert, Button, Field } from "@/components/ui";
import { signInErrorMessage } from "@/lib/auth/sign-in-messages";

export function SignInForm({ callbackPath, initialError, defaultEmail }: {
  callbackPath: string;
  initialError?: string;
  defaultEmail?: string;
}) {
  const [error, setError] = useState<string | undefined>(initialError ? signInErrorMessage(initialError) : undefined);
  const [pending, setPending] = useState(false);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setPending(true);
    setError(undefined);
    try {
      const res = await signIn("credentials", {
        redirect: false,
        email: String(form.get("email") ?? ""),
        password: String(form.get("password") ?? ""),
      });
      if (res?.ok && !res.error) {
        // A full navigation, so that server components render with the new session.
        window.location.assign(callbackPath);
        return;
      }
      setError(signInErrorMessage(res?.error));
    } catch {
      setError("Could not reach the server. Check your connection and try again.");
    }
    setPending(false);
  }

  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-5" noValidate>
      <div aria-live="polite" className="empty:-mb-5">{error ? <Alert tone="error">{error}</Alert> : null}</div>
      <Field label="Email" name="email" type="email" autoComplete="username" defaultValue={defaultEmail} required autoFocus />
      <Field label="Password" name="password" type="password" autoComplete="current-password" required />
      <Button type="submit" block pending={pending}>
        Sign in
      </Button>
    </form>
  );
}
