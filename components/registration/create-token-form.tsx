"use client";
// Create an initial access token: a label and an expiry. The new token comes back in the action's
// state and is shown once (CreatedToken); errors are announced in an aria-live region.
import { useActionState } from "react";
import { Button, Field } from "@/components/ui";
import { CreatedToken } from "./created-token";
import { DEFAULT_EXPIRY, EXPIRY_CHOICES } from "./expiry";

/** What the create action answers (app/dashboard/registration-tokens/actions.ts). */
export type CreateTokenState =
  | { status: "idle" }
  | { status: "error"; fieldErrors: { label?: string; expiresIn?: string } }
  | { status: "created"; token: string; label: string; expiresAt: string };

type Action = (prev: CreateTokenState, form: FormData) => Promise<CreateTokenState>;

const initial: CreateTokenState = { status: "idle" };

export function CreateTokenForm({ action: create }: { action: Action }) {
  const [state, action, pending] = useActionState(create, initial);
  const errors = state.status === "error" ? state.fieldErrors : {};
  return (
    <div className="flex flex-col gap-5">
      <div aria-live="polite" className="empty:hidden">
        {state.status === "created" ? <CreatedToken token={state.token} label={state.label} expiresAt={state.expiresAt} /> : null}
      </div>
      <form action={action} className="flex flex-col gap-4 sm:flex-row sm:items-start" noValidate>
        <div className="sm:flex-1">
          <Field
            label="Label"
            name="label"
            required
            maxLength={100}
            hint="Who or what the token is for, e.g. “Acme staging”."
            error={errors.label}
          />
        </div>
        <div className="flex flex-col gap-1.5 sm:w-40">
          <label htmlFor="field-expiresIn" className="text-sm font-medium text-neutral-800">
            Expires in
          </label>
          <select
            id="field-expiresIn"
            name="expiresIn"
            defaultValue={DEFAULT_EXPIRY}
            aria-invalid={errors.expiresIn ? "true" : undefined}
            aria-describedby={errors.expiresIn ? "field-expiresIn-error" : undefined}
            className="block h-10 w-full rounded-lg border border-neutral-300 bg-white px-3 text-sm text-neutral-900 shadow-sm focus:border-brand-600 focus:outline-none focus:ring-2 focus:ring-brand-500/30"
          >
            {EXPIRY_CHOICES.map((c) => (
              <option key={c.value} value={c.value}>
                {c.label}
              </option>
            ))}
          </select>
          {errors.expiresIn ? (
            <p id="field-expiresIn-error" className="text-xs font-medium text-red-700">
              {errors.expiresIn}
            </p>
          ) : null}
        </div>
        <label className="flex items-start gap-2 text-sm text-neutral-800 sm:mt-8 sm:w-36">
          <input
            type="checkbox"
            name="singleUse"
            className="mt-0.5 size-4 rounded border-neutral-300 text-brand-600 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600"
          />
          <span>Single use (one registration)</span>
        </label>
        <Button type="submit" pending={pending} className="sm:mt-7">
          Create token
        </Button>
      </form>
    </div>
  );
}
