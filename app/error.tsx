"use client";
// Unexpected errors: a plain message and a way on, never a stack trace.
import { AuthShell, Button } from "@/components/ui";

export default function ErrorPage({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <AuthShell title="Something went wrong" subtitle="The server could not complete this request. Please try again in a moment.">
      <Button type="button" onClick={reset} block>
        Try again
      </Button>
    </AuthShell>
  );
}
