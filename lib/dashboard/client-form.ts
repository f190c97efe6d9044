// The dashboard's client form <-> the registration metadata (RFC 7591 names). Pure: the server
// action hands it the FormData; the same zod schema as dynamic registration validates it, with
// the issuer so that redirect URIs on this server are refused. Errors come back per field
// (a list, so each bad redirect URI line gets its own message).
import { makeClientMetadataSchema, SIGNING_ALGS, type ClientMetadata } from "../oauth/client-metadata";

export type ClientType = "confidential" | "public";

/** How a confidential client may send its secret (RFC 6749 §2.3.1; OIDC Core §9). */
export const SECRET_METHODS = ["client_secret_basic", "client_secret_post"] as const;

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
  /** A confidential client's method (one of SECRET_METHODS); "" when the form did not send one. */
  token_endpoint_auth_method: string;
  /** ES256 or RS256; "" when the form did not send one. */
  id_token_signed_response_alg: string;
  /** ID tokens carry the profile/email claims (a checkbox: unticked is off). */
  id_token_user_claims: boolean;
  /** Edit only: the id of the API the client gets when it names no resource; "" for none. */
  default_api: string;
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
    token_endpoint_auth_method: text(form.get("token_endpoint_auth_method")),
    id_token_signed_response_alg: text(form.get("id_token_signed_response_alg")),
    id_token_user_claims: form.get("id_token_user_claims") === "on",
    default_api: text(form.get("default_api")),
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
    token_endpoint_auth_method: m.token_endpoint_auth_method === "none" ? "" : m.token_endpoint_auth_method,
    id_token_signed_response_alg: m.id_token_signed_response_alg,
    id_token_user_claims: m.id_token_user_claims,
    default_api: "",
  };
}

const FIELD_OF: Record<string, ClientFormField> = {
  client_name: "client_name",
  description: "description",
  client_uri: "client_uri",
  logo_uri: "logo_uri",
  token_endpoint_auth_method: "token_endpoint_auth_method",
  id_token_signed_response_alg: "id_token_signed_response_alg",
  redirect_uris: "redirect_uris",
  post_logout_redirect_uris: "post_logout_redirect_uris",
  scope: "scope",
  grant_types: "grant_types",
  require_pkce: "require_pkce",
  id_token_user_claims: "id_token_user_claims",
  default_api: "default_api",
};

/** `{ [key]: value }` when the value is not blank, else nothing (the metadata omits empty fields). */
function optional<K extends string>(key: K, value: string): Partial<Record<K, string>> {
  return value.trim() ? ({ [key]: value } as Record<K, string>) : {};
}

const SECRET_METHOD_ERROR = "Choose how the app sends its secret: client_secret_basic or client_secret_post";
const ALG_ERROR = `Choose the ID token algorithm: ${SIGNING_ALGS.join(" or ")}`;

/**
 * Validates the form. On edit, `stored` is the client's current metadata: the client type
 * (public or confidential) cannot change after creation, so its auth method stays "none" or stays
 * a secret method; a confidential client may switch between client_secret_basic and
 * client_secret_post (as RFC 7592 allows). A field the form did not send (the auth method, the ID
 * token algorithm) keeps its stored value on edit and its default (client_secret_basic, ES256) on
 * create. On create the type follows the "client type" choice.
 */
export function parseClientForm(
  form: FormLike,
  rules: { issuer: string; stored?: ClientMetadata; /** an admin: names that imitate the server are allowed */ trustedName?: boolean },
): ClientFormResult {
  const values = readClientForm(form);
  const stored = rules.stored;
  if (stored) values.client_type = stored.token_endpoint_auth_method === "none" ? "public" : "confidential";
  const own: ClientFormErrors = {};
  let authMethod: ClientMetadata["token_endpoint_auth_method"] = "none";
  if (values.client_type === "confidential") {
    const posted = values.token_endpoint_auth_method;
    const fallback = stored && stored.token_endpoint_auth_method !== "none" ? stored.token_endpoint_auth_method : "client_secret_basic";
    if (posted === "") authMethod = fallback;
    else if ((SECRET_METHODS as readonly string[]).includes(posted)) authMethod = posted as (typeof SECRET_METHODS)[number];
    else {
      own.token_endpoint_auth_method = [SECRET_METHOD_ERROR];
      authMethod = fallback; // validate the rest as if the default was chosen
    }
  }
  const alg = values.id_token_signed_response_alg || stored?.id_token_signed_response_alg;
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
    id_token_user_claims: values.id_token_user_claims,
    ...(alg ? { id_token_signed_response_alg: alg } : {}),
  });
  if (parsed.success) {
    if (own.token_endpoint_auth_method) return { ok: false, values, errors: own };
    if (parsed.data.scope.trim() === "") return { ok: false, values, errors: { scope: ["Choose at least one scope"] } };
    return { ok: true, values, metadata: parsed.data };
  }
  const errors: ClientFormErrors = own;
  for (const issue of parsed.error.issues) {
    const field = FIELD_OF[String(issue.path[0])] ?? "client_name";
    let message = issue.message;
    if (field === "grant_types" && issue.path.length > 1) message = "Unknown grant type";
    if (field === "grant_types" && issue.code === "too_small") message = "Choose at least one grant type";
    if (field === "id_token_signed_response_alg") message = ALG_ERROR;
    (errors[field] ??= []).push(message);
  }
  return { ok: false, values, errors };
}

/** The APIs a client's default may be: of those the editor manages, the ones that allow this client. */
export function defaultApiChoices<A extends { allClients: boolean; allowedClientIds: readonly string[] }>(managed: readonly A[], clientRowId: string): A[] {
  return managed.filter((a) => a.allClients || a.allowedClientIds.includes(clientRowId));
}

/**
 * The default API chosen on the edit form (RFC 8707: the resource a client gets when its request
 * names none): "" clears it; anything else must be one of `choices`, the APIs the editor manages
 * that allow this client. An id outside them (another developer's API, one that does not allow the
 * client, a crafted value) is refused with a field error, never stored.
 */
export function parseDefaultApi(
  value: string,
  choices: readonly { id: string }[],
  /** The client's default now: kept when sent back unchanged (set by the CLI or an admin, maybe not the editor's API). */
  current: string | null = null,
): { ok: true; apiId: string | null } | { ok: false; error: string } {
  if (value === "") return { ok: true, apiId: null };
  if (value === current || choices.some((c) => c.id === value)) return { ok: true, apiId: value };
  return { ok: false, error: "Choose one of your APIs that allows this client, or None" };
}
