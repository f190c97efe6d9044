"use client";
// The consent decision: only the request id and the pressed button are sent; everything else
// is re-read on the server from the stored request. Errors are announced in an aria-live region.
// A client that asked for response_mode=form_post gets its answer as a form posted to its
// redirect URI (OAuth 2.0 Form Post Response Mode §2): submitted at once once scripts run,
// a Continue button before that and with JavaScript off.
import { useActionState, useEffect, useRef } from "react";
import { Alert, Button } from "@/components/ui";
import type { FormPost } from "@/lib/oauth/authorization-response";

/** What the consent action answers (app/consent/actions.ts). */
export type ConsentActionState = { error: string | null; formPost?: FormPost };

type Action = (prev: ConsentActionState, form: FormData) => Promise<ConsentActionState>;

const initial: ConsentActionState = { error: null };

export function ConsentForm({ action: decide, requestId }: { action: Action; requestId: string }) {
  const [state, action, pending] = useActionState(decide, initial);
  if (state.formPost) return <FormPostForm post={state.formPost} />;
  return (
    <form action={action} className="flex flex-col gap-4">
      <input type="hidden" name="request" value={requestId} />
      <div aria-live="polite" className="empty:hidden">
        {state.error ? <Alert tone="error">{state.error}</Alert> : null}
      </div>
      <div className="flex flex-col gap-3 sm:flex-row-reverse">
        <Button type="submit" name="decision" value="allow" block disabled={pending} aria-busy={pending || undefined}>
          Allow
        </Button>
        <Button type="submit" name="decision" value="deny" variant="secondary" block disabled={pending}>
          Deny
        </Button>
      </div>
    </form>
  );
}

function FormPostForm({ post }: { post: FormPost }) {
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    form.current?.submit();
  }, []);
  return (
    <form ref={form} method="post" action={post.action} className="flex flex-col gap-4">
      {post.fields.map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <p aria-live="polite" className="text-sm text-neutral-700">
        Taking you back to the app…
      </p>
      <Button type="submit" block>
        Continue
      </Button>
    </form>
  );
}
