"use client";
// Register or edit a client. Validation happens on the server (the same zod schema as dynamic
// registration); errors come back per field, and per redirect URI line, into an aria-live region.
// After creation the form gives way to the client_id and, for a confidential client, the secret,
// shown once.
import Link from "next/link";
import { useActionState } from "react";
import { Alert, Button, CopyButton, Field, buttonClassName } from "@/components/ui";
import type { ClientFormField, ClientFormValues } from "@/lib/dashboard/client-form";
import type { ClientFormState } from "./action-states";
import { ChoiceGroup, FieldErrorSummary, type SummaryField, TextArea } from "./form-controls";
import { SecretOnce } from "./secret-once";

type Action = (prev: ClientFormState, form: FormData) => Promise<ClientFormState>;

export interface ScopeChoice {
  name: string;
  description: string;
}

const GRANTS = [
  { value: "authorization_code", label: "authorization_code", hint: "Users sign in through Latchkey and the app gets a code (the usual choice)." },
  { value: "refresh_token", label: "refresh_token", hint: "The app stays signed in with rotating refresh tokens (needs offline_access)." },
  { value: "client_credentials", label: "client_credentials", hint: "The app calls APIs as itself, with no user (server apps only)." },
  {
    value: "implicit",
    label: "implicit (ID token only)",
    hint: "Sign-in only: the app gets an ID token straight from the browser (response_type=id_token), never an access token.",
  },
];

/** Each field's label as shown, for the error summary (groups of choices link to their fieldset). */
const FIELDS: SummaryField<ClientFormField>[] = [
  { name: "client_name", label: "Name" },
  { name: "description", label: "Description" },
  { name: "client_uri", label: "Home page" },
  { name: "logo_uri", label: "Logo URL" },
  { name: "client_type", label: "Client type", group: true },
  { name: "token_endpoint_auth_method", label: "How the app sends its secret", group: true },
  { name: "redirect_uris", label: "Redirect URIs" },
  { name: "post_logout_redirect_uris", label: "Post-logout redirect URIs" },
  { name: "scope", label: "Allowed scopes", group: true },
  { name: "grant_types", label: "Grant types", group: true },
  { name: "require_pkce", label: "PKCE", group: true },
  { name: "id_token_signed_response_alg", label: "ID token signing algorithm", group: true },
  { name: "id_token_user_claims", label: "ID token claims", group: true },
  { name: "default_api", label: "Default API" },
];

const SECRET_METHOD_CHOICES = [
  {
    value: "client_secret_basic",
    label: "client_secret_basic",
    hint: "The app sends its client_id and secret in an HTTP Basic Authorization header. The usual choice; most libraries do this by default.",
  },
  {
    value: "client_secret_post",
    label: "client_secret_post",
    hint: "The app sends client_id and client_secret as fields of the form it posts. Pick this only if your library cannot send a Basic header.",
  },
];

const ALG_CHOICES = [
  { value: "ES256", label: "ES256", hint: "Elliptic-curve signatures: short tokens, fast to check. Most current libraries accept it." },
  { value: "RS256", label: "RS256", hint: "RSA signatures: the OpenID Connect default. Pick this if your library only accepts RS256." },
];

export function ClientForm({
  mode,
  action,
  initial,
  clientRowId,
  scopes,
  cancelHref,
  apis,
}: {
  mode: "create" | "edit";
  action: Action;
  initial: ClientFormValues;
  clientRowId?: string;
  scopes: ScopeChoice[];
  cancelHref: string;
  /** Edit only: the APIs the client's default may be (the editor's, allowing this client). */
  apis?: { id: string; name: string; identifier: string }[];
}) {
  const [state, formAction, pending] = useActionState(action, {});

  if (state.created) {
    const c = state.created;
    return (
      <div className="flex flex-col gap-5">
        <Alert tone="success" title="Client registered">
          Put the client_id{c.secret ? " and the secret" : ""} into your app&apos;s configuration.
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
        {c.secret ? <SecretOnce secret={c.secret} /> : null}
        <div>
          <Link href={`/dashboard/clients/${c.id}`} className={buttonClassName()}>
            Go to the client page
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
      {clientRowId ? <input type="hidden" name="client" value={clientRowId} /> : null}
      <FieldErrorSummary fields={FIELDS} errors={e} formError={state.formError} answer={state} />

      <section className="flex flex-col gap-4">
        <Field label="Name" name="client_name" defaultValue={v.client_name} required maxLength={100} error={one(e.client_name)} hint="Shown to users on the consent screen." />
        <TextArea label="Description" name="description" defaultValue={v.description} rows={2} maxLength={300} errors={e.description} hint="Optional. One sentence on what the app does." />
        <div className="grid gap-4 sm:grid-cols-2">
          <Field label="Home page" name="client_uri" type="url" inputMode="url" defaultValue={v.client_uri} placeholder="https://app.example.com" error={one(e.client_uri)} />
          <Field label="Logo URL" name="logo_uri" type="url" inputMode="url" defaultValue={v.logo_uri} placeholder="https://app.example.com/logo.png" error={one(e.logo_uri)} />
        </div>
      </section>

      {mode === "create" ? (
        <ChoiceGroup
          legend="Client type"
          name="client_type"
          type="radio"
          selected={[v.client_type]}
          errors={e.client_type}
          choices={[
            { value: "confidential", label: "Server app (confidential)", hint: "Pick this when your code runs on a server that can keep a secret: it gets a client secret." },
            { value: "public", label: "Browser or native app (public)", hint: "Pick this for single-page and mobile or desktop apps, which cannot hide a secret: they use PKCE alone." },
          ]}
        />
      ) : (
        <p className="text-sm text-neutral-700">
          <span className="font-medium text-neutral-800">Client type:</span>{" "}
          {v.client_type === "public" ? "browser or native app (public)" : "server app (confidential)"}. It is fixed once registered.
        </p>
      )}

      {v.client_type === "confidential" || mode === "create" ? (
        <ChoiceGroup
          legend="How the app sends its secret"
          name="token_endpoint_auth_method"
          type="radio"
          selected={[v.token_endpoint_auth_method]}
          errors={e.token_endpoint_auth_method}
          hint={mode === "create" ? "Server apps only: a browser or native app has no secret, so this is ignored for it." : undefined}
          choices={SECRET_METHOD_CHOICES}
        />
      ) : null}

      <TextArea
        label="Redirect URIs"
        name="redirect_uris"
        defaultValue={v.redirect_uris}
        rows={3}
        spellCheck={false}
        autoCapitalize="off"
        errors={e.redirect_uris}
        placeholder="https://app.example.com/callback"
        hint="One per line, matched exactly. https; http only for 127.0.0.1, [::1] or localhost; native apps may use a reverse-domain scheme (com.example.app:/callback). No wildcards or fragments."
      />
      <TextArea
        label="Post-logout redirect URIs"
        name="post_logout_redirect_uris"
        defaultValue={v.post_logout_redirect_uris}
        rows={2}
        spellCheck={false}
        autoCapitalize="off"
        errors={e.post_logout_redirect_uris}
        hint="Optional. Where Latchkey may send users after they sign out, one per line."
      />
      <ChoiceGroup
        legend="Allowed scopes"
        name="scope"
        selected={v.scope}
        errors={e.scope}
        choices={scopes.map((s) => ({ value: s.name, label: s.name, hint: s.description }))}
      />
      <ChoiceGroup legend="Grant types" name="grant_types" selected={v.grant_types} errors={e.grant_types} choices={GRANTS} />
      <ChoiceGroup
        legend="PKCE"
        name="require_pkce"
        selected={v.require_pkce ? ["on"] : []}
        errors={e.require_pkce}
        choices={[{ value: "on", label: "Require PKCE", hint: "Every authorization request must carry a code challenge (RFC 9700 §2.1.1). Public clients always need it." }]}
      />
      <ChoiceGroup
        legend="ID token signing algorithm"
        name="id_token_signed_response_alg"
        type="radio"
        selected={[v.id_token_signed_response_alg]}
        errors={e.id_token_signed_response_alg}
        hint="How Latchkey signs the ID tokens (and access tokens) it gives this app. Both are published in the JWKS."
        choices={ALG_CHOICES}
      />
      <ChoiceGroup
        legend="ID token claims"
        name="id_token_user_claims"
        selected={v.id_token_user_claims ? ["on"] : []}
        errors={e.id_token_user_claims}
        choices={[
          {
            value: "on",
            label: "Put the user's name and email in the ID token",
            hint: "When the user grants profile or email. Most sign-in libraries read the user from the ID token. Unticked, the app must ask the userinfo endpoint.",
          },
        ]}
      />

      {apis ? <DefaultApiSelect apis={apis} value={v.default_api} errors={e.default_api} /> : null}

      <div className="flex flex-col-reverse gap-3 sm:flex-row sm:justify-end">
        <Link href={cancelHref} className={buttonClassName({ variant: "secondary" })}>
          Cancel
        </Link>
        <Button type="submit" pending={pending}>
          {mode === "create" ? "Register client" : "Save changes"}
        </Button>
      </div>
    </form>
  );
}

/** The API the client gets when its request names no resource (RFC 8707). A native select: no JS needed. */
function DefaultApiSelect({ apis, value, errors }: { apis: { id: string; name: string; identifier: string }[]; value: string; errors?: string[] }) {
  const describedBy = ["field-default_api-hint", errors?.length ? "field-default_api-error" : ""].filter(Boolean).join(" ");
  return (
    <div className="flex flex-col gap-1.5">
      <label htmlFor="field-default_api" className="text-sm font-medium text-neutral-800">
        Default API
      </label>
      <select
        id="field-default_api"
        name="default_api"
        defaultValue={value}
        aria-invalid={errors?.length ? "true" : undefined}
        aria-describedby={describedBy}
        className="h-10 w-full rounded-lg border border-neutral-300 bg-white px-3 text-sm text-neutral-900 shadow-sm focus:border-brand-600 focus:ring-2 focus:ring-brand-500/30 focus:outline-none sm:max-w-md"
      >
        <option value="">None</option>
        {apis.map((a) => (
          <option key={a.id} value={a.id}>
            {a.name} ({a.identifier})
          </option>
        ))}
      </select>
      <p id="field-default_api-hint" className="text-xs text-neutral-600">
        {apis.length
          ? "When the app asks for a token without naming an API (no resource parameter), its tokens are for this API."
          : "None of your APIs allows this client yet. Create an API, or allow this client on one, to choose it here."}
      </p>
      {errors?.length ? (
        <p id="field-default_api-error" className="text-xs font-medium text-red-700">
          {errors.join(" ")}
        </p>
      ) : null}
    </div>
  );
}
