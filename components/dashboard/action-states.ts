// What the dashboard's actions (app/dashboard/clients/actions.ts, app/dashboard/apis/actions.ts) answer to their forms.
import type { GrantCounts } from "@/lib/db/grants";
import type { ApiFormErrors, ApiFormValues } from "@/lib/dashboard/api-form";
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

/** The API form (app/dashboard/apis/actions.ts). */
export type ApiFormState = {
  values?: ApiFormValues;
  errors?: ApiFormErrors;
  formError?: string;
  /** After creation: the API's own credentials, the secret shown once. */
  created?: { id: string; identifier: string; clientId: string; secret: string };
};

/** Rotating an API's secret (stops the old one at once, so it asks first) and deleting an API. */
export type ApiConfirmState = { secret?: string; error?: string; needsConfirmation?: boolean };

/** A test token for an API, shown once. */
export type TestTokenState = {
  error?: string;
  token?: { accessToken: string; expiresIn: number; scope: string[]; clientName: string };
};
