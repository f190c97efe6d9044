"use client";
// Delete the account: the confirmation step (what goes, that it cannot be undone) with the
// current password in it. "Yes, delete my account" posts confirmed=yes, "Cancel" confirmed=no
// (ConfirmStep): a plain POST without JavaScript. Errors come back into an error summary; the
// password is never sent back in a page, so the field starts empty after an error.
import type { ReactNode } from "react";
import { useActionState } from "react";
import { ConfirmStep, ErrorSummary, Field } from "@/components/ui";
import type { DeletionFieldErrors } from "@/lib/auth/account-deletion";

/** What the delete-account action answers when it does not redirect (app/account/delete/actions.ts). */
export type DeleteAccountState = { fieldErrors?: DeletionFieldErrors; formError?: string };

type Action = (prev: DeleteAccountState, form: FormData) => Promise<DeleteAccountState>;

export function DeleteAccountForm({ action, email, passkeyConfirmed = false, children }: {
  action: Action;
  email: string;
  /** The session used a passkey moments ago (lib/auth/account-deletion.ts recentPasskey): no password asked. */
  passkeyConfirmed?: boolean;
  children: ReactNode;
}) {
  const [state, formAction, pending] = useActionState(action, {});
  const e = state.fieldErrors ?? {};
  const items = e.password ? [{ fieldId: "field-password", label: "Your password", message: e.password }] : [];
  return (
    <form key={JSON.stringify(state)} action={formAction} className="flex flex-col gap-4" noValidate>
      <ErrorSummary items={items} formError={state.formError} answer={state} />
      {/* Lets password managers offer the password of the right account. */}
      <input type="text" name="username" autoComplete="username" value={email} readOnly hidden />
      <ConfirmStep label="Confirm deleting your account" yes="Yes, delete my account" pending={pending}>
        <div className="flex flex-col gap-3">
          {children}
          {passkeyConfirmed ? (
            <>
              <input type="hidden" name="proof" value="passkey" />
              <p className="font-medium text-neutral-800">Confirmed with your passkey.</p>
            </>
          ) : (
            <Field label="Your password" name="password" type="password" autoComplete="current-password" required error={e.password} />
          )}
        </div>
      </ConfirmStep>
    </form>
  );
}
