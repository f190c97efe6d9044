"use client";
// Create an API or edit its settings. Validation happens on the server (the same zod schema as
// the CLI); errors come back per field, and per scope line, with what was typed. After creation
// the form gives way to the API's own credentials (for introspection), the secret shown once.
import Link from "next/link";
import { useActionState } from "react";
import { Alert, Button, CopyButton, Field, buttonClassName } from "@/components/ui";
import type { ApiFormField, ApiFormValues } from "@/lib/dashboard/api-form";
import type { ApiFormState } from "./action-states";
import { ChoiceGroup, FieldErrorSummary, type SummaryField, TextArea } from "./form-controls";
import { SecretOnce } from "./secret-once";

type Action = (prev: ApiFormState, form: FormData) => Promise<ApiFormState>;

/** Each field's label as shown, for the error summary (groups of choices link to their fieldset). */
const FIELDS: SummaryField<ApiFormField>[] = [
  { name: "name", label: "Name" },
  { name: "identifier", label: "Identifier" },
  { name: "scopes", label: "Scopes" },
  { name: "access_token_ttl", label: "Access token lifetime" },
  { name: "client_access", label: "Which clients may ask for it", group: true },
  { name: "allowed_clients", label: "Allowed clients", group: true },
];

export function ApiForm({
  mode,
  action,
  initial,
  apiId,
  clients,
  defaultTtl,
  cancelHref,
}: {
  mode: "create" | "edit";
  action: Action;
  initial: ApiFormValues;
  apiId?: string;
  /** The clients that may be allowed: the caller's own. */
  clients: { id: string; name: string; clientId: string }[];
  /** The server's access-token lifetime, in seconds. */
  defaultTtl: number;
  cancelHref: string;
}) {
  const [state, formAction, pending] = useActionState(action, {});

  if (state.created) {
    const c = state.created;
    return (
      <div className="flex flex-col gap-5">
        <Alert tone="success" title="API created">
          Tokens for <code className="break-all font-mono">{c.identifier}</code> can be requested now. These credentials are the API&apos;s
          own: it uses them at the introspection endpoint to check a token is still valid.
        </Alert>
        <div className="flex flex-col gap-1.5">
          <span className="text-sm font-medium text-neutral-800">client_id</span>
          <div className="flex flex-wrap items-center gap-2">
            <code className="break-all rounded bg-neutral-100 px-2 py-1 font-mono text-sm" data-testid="created-client-id">
              {c.clientId}
            </code>
            <CopyButton value={c.clientId} what="client_id" />
          </div>
        </div>
        <SecretOnce secret={c.secret} title="API client secret" />
        <div>
          <Link href={`/dashboard/apis/${c.id}`} className={buttonClassName()}>
            Go to the API page
          </Link>
        </div>
      </div>
    );
  }

  const v = state.values ?? initial;
  const e = state.errors ?? {};
  const one = (list?: string[]) => (list?.length ? list.join(" ") : undefined);

  return (
    // A new key after each answer: React resets forms after an action; this refills them with
    // what was typed.
    <form key={JSON.stringify(state)} action={formAction} className="flex flex-col gap-6" noValidate>
      {apiId ? <input type="hidden" name="api" value={apiId} /> : null}
      <FieldErrorSummary fields={FIELDS} errors={e} formError={state.formError} answer={state} />

      <Field label="Name" name="name" defaultValue={v.name} required maxLength={100} error={one(e.name)} hint="Shown to users on the consent screen, above this API's scopes." />
      {mode === "create" ? (
        <Field
          label="Identifier"
          name="identifier"
          type="url"
          inputMode="url"
          spellCheck={false}
          autoCapitalize="off"
          defaultValue={v.identifier}
          required
          placeholder="https://api.example.com"
          error={one(e.identifier)}
          hint="The API's URL: apps send it as resource and it is the audience of its tokens. It cannot change later."
        />
      ) : (
        <p className="text-sm text-neutral-700">
          <span className="font-medium text-neutral-800">Identifier:</span> <code className="break-all font-mono">{v.identifier}</code>. It is fixed
          once created.
        </p>
      )}
      <TextArea
        label="Scopes"
        name="scopes"
        defaultValue={v.scopes}
        rows={4}
        spellCheck={false}
        autoCapitalize="off"
        errors={e.scopes}
        placeholder={"read:items=Read your items\nwrite:items=Change your items"}
        hint="One per line: the scope's name, =, then what it allows in plain words (users read it on the consent screen)."
      />
      <Field
        label="Access token lifetime"
        name="access_token_ttl"
        inputMode="numeric"
        defaultValue={v.access_token_ttl}
        placeholder={String(defaultTtl)}
        error={one(e.access_token_ttl)}
        hint={`In seconds, from 60 to 86400. Leave empty for the server's default (${defaultTtl} seconds).`}
      />
      <ChoiceGroup
        legend="Which clients may ask for it"
        name="client_access"
        type="radio"
        selected={[v.client_access]}
        errors={e.client_access}
        choices={[
          { value: "all", label: "Every client", hint: "Any app registered here may request tokens for this API (users still consent)." },
          { value: "listed", label: "Only the clients chosen below", hint: "Other apps get invalid_target when they ask for it." },
        ]}
      />
      {clients.length > 0 ? (
        <ChoiceGroup
          legend="Allowed clients"
          name="allowed_clients"
          selected={v.allowed_clients}
          errors={e.allowed_clients}
          hint="Used when only chosen clients may ask for it."
          choices={clients.map((c) => ({ value: c.id, label: c.name, hint: <span className="break-all font-mono">{c.clientId}</span> }))}
        />
      ) : (
        <p className="text-sm text-neutral-600" id="group-allowed_clients">
          You have no clients yet to choose from. Register one in{" "}
          <Link href="/dashboard/clients" className="font-medium text-brand-700 hover:underline">
            your clients
          </Link>
          .
        </p>
      )}

      <div className="flex flex-col-reverse gap-3 sm:flex-row sm:justify-end">
        <Link href={cancelHref} className={buttonClassName({ variant: "secondary" })}>
          Cancel
        </Link>
        <Button type="submit" pending={pending}>
          {mode === "create" ? "Create API" : "Save changes"}
        </Button>
      </div>
    </form>
  );
}
