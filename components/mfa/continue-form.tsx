"use client";
// One button that posts to a server action and follows where it answers (the sign-in's "Continue"
// after the recovery codes). A plain POST without JavaScript.
import { useActionState, useEffect } from "react";
import { Button } from "@/components/ui";
import type { SecondFactorState } from "./second-factor-form";

type Action = (prev: SecondFactorState, form: FormData) => Promise<SecondFactorState>;

export function ContinueForm({ action, label }: { action: Action; label: string }) {
  const [state, formAction, pending] = useActionState(action, {});
  useEffect(() => {
    if (state.redirectTo) window.location.assign(state.redirectTo);
  }, [state.redirectTo]);
  return (
    <form action={formAction}>
      <Button type="submit" block pending={pending || Boolean(state.redirectTo)}>
        {label}
      </Button>
    </form>
  );
}
