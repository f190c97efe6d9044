// What the dashboard's client actions (app/dashboard/clients/actions.ts) answer to their forms.
import type { GrantCounts } from "@/lib/db/grants";
import type { ClientFormErrors, ClientFormValues } from "@/lib/dashboard/client-form";

export type ClientFormState = {
  values?: ClientFormValues;
  errors?: ClientFormErrors;
  formError?: string;
  /** After creation: shown once. */
  created?: { id: string; clientId: string; secret?: string };
};

/** Rotating the secret and the scorecard's one-click fixes: a new secret is shown once. */
export type SecretState = { secret?: string; error?: string; message?: string; needsConfirmation?: boolean };

export type DeleteState = { error?: string; deleted?: { name: string; counts: GrantCounts } };
