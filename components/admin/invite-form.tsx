"use client";
// Invite a user: email, name, role. A plain POST without JavaScript; field errors keep what was
// typed; the answer says whether the invitation was mailed (or shows the link once, mail off).
import { useActionState } from "react";
import { Alert, Button, ErrorSummary, Field } from "@/components/ui";
import { ROLES } from "@/lib/auth/roles";
import type { AdminActionState } from "./action-state";
import { LinkOnce } from "./link-once";

/** The invite action's answer: the admin state plus what was typed, to refill the form. */
export type InviteState = AdminActionState & { values?: { email: string; name: string; role: string } };

type Action = (prev: InviteState, form: FormData) => Promise<InviteState>;

const LABELS = { email: "Email", name: "Name", role: "Role" } as const;

export function InviteForm({ action }: { action: Action }) {
  const [state, formAction, pending] = useActionState(action, { ok: false });
  const e = state.fieldErrors ?? {};
  const v = state.values ?? { email: "", name: "", role: "user" };
  const items = (Object.keys(LABELS) as (keyof typeof LABELS)[])
    .filter((k) => e[k])
    .map((k) => ({ fieldId: `field-${k}`, label: LABELS[k], message: e[k] as string }));
  return (
    <form key={JSON.stringify(state)} action={formAction} className="flex flex-col gap-4" noValidate>
      <ErrorSummary items={items} formError={state.error} answer={state} />
      <div className="grid gap-4 sm:grid-cols-[2fr_2fr_1fr]">
        <Field label={LABELS.email} name="email" type="email" autoComplete="off" required error={e.email} defaultValue={v.email} />
        <Field label={LABELS.name} name="name" autoComplete="off" hint="Optional" error={e.name} defaultValue={v.name} />
        <div className="flex flex-col gap-1.5">
          <label htmlFor="field-role" className="text-sm font-medium text-neutral-800">
            {LABELS.role}
          </label>
          <select
            id="field-role"
            name="role"
            defaultValue={v.role}
            className="h-10 rounded-lg border border-neutral-300 bg-white px-2 text-sm text-neutral-900 shadow-sm focus:border-brand-600 focus:ring-2 focus:ring-brand-500/30 focus:outline-none"
          >
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div>
        <Button type="submit" pending={pending}>
          Send invitation
        </Button>
      </div>
      <div aria-live="polite" className="empty:hidden">
        {state.ok && state.message ? <Alert tone="success">{state.message}</Alert> : null}
        {state.ok && state.link ? <LinkOnce link={state.link} /> : null}
      </div>
    </form>
  );
}
