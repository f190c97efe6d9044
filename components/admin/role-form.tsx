"use client";
// Change a user's role: a labelled select and Save; errors in an aria-live region.
import { useActionState } from "react";
import { Alert, Button } from "@/components/ui";
import { ROLES } from "@/lib/auth/roles";
import { IDLE, type AdminAction } from "./action-state";

export function RoleForm({ action, userId, role }: { action: AdminAction; userId: string; role: string }) {
  const [state, formAction, pending] = useActionState(action, IDLE);
  const error = state.fieldErrors?.role ?? state.error;
  return (
    <form action={formAction} className="flex flex-col gap-2">
      <input type="hidden" name="userId" value={userId} />
      <label htmlFor="field-role" className="text-sm font-medium text-neutral-800">
        Role
      </label>
      <div className="flex flex-wrap gap-2">
        <select
          id="field-role"
          name="role"
          defaultValue={role}
          aria-invalid={error ? "true" : undefined}
          aria-describedby={error ? "field-role-error" : undefined}
          className="h-8 rounded-lg border border-neutral-300 bg-white px-2 text-sm text-neutral-900 shadow-sm focus:border-brand-600 focus:ring-2 focus:ring-brand-500/30 focus:outline-none"
        >
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
        <Button type="submit" size="sm" variant="secondary" pending={pending}>
          Save role
        </Button>
      </div>
      <div aria-live="polite" className="empty:hidden" id="field-role-error">
        {error ? <Alert tone="error">{error}</Alert> : null}
        {state.ok && state.message ? <Alert tone="success">{state.message}</Alert> : null}
      </div>
    </form>
  );
}
