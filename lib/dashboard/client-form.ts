// The dashboard's client form <-> the registration metadata (RFC 7591 names). Pure: the server
// action hands it the FormData; the same zod schema as dynamic registration validates it, with
// the issuer so that redirect URIs on this server are refused. Errors come back per field
// (a list, so each bad redirect URI line gets its own message).
import { makeClientMetadataSchema, type ClientMetadata } from "../oauth/client-metadata";

export type ClientType = "confidential" | "public";

/** What the form shows: strings and lists, exactly as typed (to refill it after an error). */
export interface ClientFormValues {
  client_name: string;
  description: string;
  client_uri: string;
  logo_uri: string;
  client_type: ClientType;
  redirect_uris: string;
  post_logout_redirect_uris: string;
  scope: string[];
  grant_types: string[];
  require_pkce: boolean;
}

export type ClientFormField = keyof ClientFormValues;
export type ClientFormErrors = Partial<Record<ClientFormField, string[]>>;

export type ClientFormResult =
  | { ok: true; values: ClientFormValues; metadata: ClientMetadata }
  | { ok: false; values: ClientFormValues; errors: ClientFormErrors };

interface FormLike {
  get(name: string): unknown;
  getAll(name: string): unknown[];
}

const text = (v: unknown): string => (typeof v === "string" ? v : "");
const lines = (v: string): string[] =>
  v
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);

export function readClientForm(form: FormLike): ClientFormValues {
  return {
    client_name: text(form.get("client_name")),
    description: text(form.get("description")),
    client_uri: text(form.get("client_uri")),
    logo_uri: text(form.get("logo_uri")),
    client_type: form.get("client_type") === "public" ? "public" : "confidential",
    redirect_uris: text(form.get("redirect_uris")),
    post_logout_redirect_uris: text(form.get("post_logout_redirect_uris")),
    scope: form.getAll("scope").map(text).filter(Boolean),
    grant_types: form.getAll("grant_types").map(text).filter(Boolean),
    require_pkce: form.get("require_pkce") === "on",
  };
}

/** The form's values for a stored client (the edit form starts from these). */
export function formValuesOf(m: ClientMetadata): ClientFormValues {
  return {
    client_name: m.client_name,
    description: m.description ?? "",
    client_uri: m.client_uri ?? "",
    logo_uri: m.logo_uri ?? "",
    client_type: m.token_endpoint_auth_method === "none" ? "public" : "confidential",
    redirect_uris: m.redirect_uris.join("\n"),
    post_logout_redirect_uris: m.post_logout_redirect_uris.join("\n"),
    scope: m.scope.split(" ").filter(Boolean),
    grant_types: [...m.grant_types],
    require_pkce: m.require_pkce,
  };
}

const FIELD_OF: Record<string, ClientFormField> = {
  client_name: "client_name",
  description: "description",
  client_uri: "client_uri",
  logo_uri: "logo_uri",
  token_endpoint_auth_method: "client_type",
  redirect_uris: "redirect_uris",
  post_logout_redirect_uris: "post_logout_redirect_uris",
  scope: "scope",
  grant_types: "grant_types",
  require_pkce: "require_pkce",
};

/** `{ [key]: value }` when the value is not blank, else nothing (the metadata omits empty fields). */
function optional<K extends string>(key: K, value: string): Partial<Record<K, string>> {
  return value.trim() ? ({ [key]: value } as Record<K, string>) : {};
}

/**
 * Validates the form. On edit, `stored` is the client's current metadata: its auth method (the
 * client type cannot change after creation) and what the form does not show (the ID token
 * signing alg) are kept. On create the type follows the "client type" choice.
 */
export function parseClientForm(
  form: FormLike,
  rules: { issuer: string; stored?: ClientMetadata; /** an admin: names that imitate the server are allowed */ trustedName?: boolean },
): ClientFormResult {
  const values = readClientForm(form);
  const stored = rules.stored;
  const authMethod = stored?.token_endpoint_auth_method ?? (values.client_type === "public" ? "none" : "client_secret_basic");
  if (stored) values.client_type = stored.token_endpoint_auth_method === "none" ? "public" : "confidential";
  // A name kept as it is stays allowed (e.g. an admin's client edited by its developer).
  const trustedName = rules.trustedName === true || (stored !== undefined && values.client_name.trim() === stored.client_name);
  const parsed = makeClientMetadataSchema({ issuer: rules.issuer, trustedName }).safeParse({
    client_name: values.client_name,
    ...optional("description", values.description),
    ...optional("client_uri", values.client_uri),
    ...optional("logo_uri", values.logo_uri),
    redirect_uris: lines(values.redirect_uris),
    post_logout_redirect_uris: lines(values.post_logout_redirect_uris),
    token_endpoint_auth_method: authMethod,
    grant_types: values.grant_types,
    scope: values.scope.join(" "),
    require_pkce: values.require_pkce,
    ...(stored ? { id_token_signed_response_alg: stored.id_token_signed_response_alg } : {}),
  });
  if (parsed.success) {
    if (parsed.data.scope.trim() === "") return { ok: false, values, errors: { scope: ["Choose at least one scope"] } };
    return { ok: true, values, metadata: parsed.data };
  }
  const errors: ClientFormErrors = {};
  for (const issue of parsed.error.issues) {
    const field = FIELD_OF[String(issue.path[0])] ?? "client_name";
    let message = issue.message;
    if (field === "grant_types" && issue.path.length > 1) message = "Unknown grant type";
    if (field === "grant_types" && issue.code === "too_small") message = "Choose at least one grant type";
    (errors[field] ??= []).push(message);
  }
  return { ok: false, values, errors };
}
