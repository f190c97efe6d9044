// The dashboard's API form <-> an API's settings (lib/oauth/api-metadata.ts, the same zod
// schema as the CLI). Pure: the server action hands it the FormData. Scopes are typed one per
// line as `name=plain words` (a textarea: it works without JavaScript and needs no fixed number
// of rows); each bad line gets its own message. Everything comes back as typed on an error.
import { makeApiInputSchema, makeApiSettingsSchema, parseScopeArgument, type ApiInput, type ApiScope, type ApiSettings } from "../oauth/api-metadata";

/** What the form shows: strings and lists, exactly as typed (to refill it after an error). */
export interface ApiFormValues {
  name: string;
  /** Only on create: the identifier is fixed afterwards. */
  identifier: string;
  /** One scope per line, `name=description`. */
  scopes: string;
  /** Seconds, as typed; "" = the server's default lifetime. */
  access_token_ttl: string;
  /** "all": every client may ask for the API; "listed": only allowed_clients. */
  client_access: "all" | "listed";
  /** Client row ids. */
  allowed_clients: string[];
}

export type ApiFormField = keyof ApiFormValues;
export type ApiFormErrors = Partial<Record<ApiFormField, string[]>>;

interface FormLike {
  get(name: string): unknown;
  getAll(name: string): unknown[];
}

const text = (v: unknown): string => (typeof v === "string" ? v : "");

/** The longest scopes text accepted before parsing (100 scopes of a 100-character name and 200 words). */
const MAX_SCOPES_TEXT = 40_000;

export function readApiForm(form: FormLike): ApiFormValues {
  return {
    name: text(form.get("name")),
    identifier: text(form.get("identifier")),
    scopes: text(form.get("scopes")).slice(0, MAX_SCOPES_TEXT),
    access_token_ttl: text(form.get("access_token_ttl")),
    client_access: form.get("client_access") === "listed" ? "listed" : "all",
    allowed_clients: [...new Set(form.getAll("allowed_clients").map(text).filter(Boolean))].slice(0, 1000),
  };
}

/** A stored API's scopes as the textarea shows them. */
export function scopesText(scopes: ApiScope[]): string {
  return scopes.map((s) => (s.description ? `${s.name}=${s.description}` : s.name)).join("\n");
}

/** The form's values for a stored API (the edit form starts from these). */
export function apiFormValuesOf(api: { name: string; identifier: string } & ApiSettings): ApiFormValues {
  return {
    name: api.name,
    identifier: api.identifier,
    scopes: scopesText(api.scopes),
    access_token_ttl: api.accessTokenTtl === null ? "" : String(api.accessTokenTtl),
    client_access: api.allClients ? "all" : "listed",
    allowed_clients: [...api.allowedClientIds],
  };
}

const scopeLines = (v: string): string[] =>
  v
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);

function ttlOf(v: string): number | null | "bad" {
  const t = v.trim();
  if (t === "") return null;
  return /^\d{1,9}$/.test(t) ? Number(t) : "bad";
}

const FIELD_OF: Record<string, ApiFormField> = {
  name: "name",
  identifier: "identifier",
  scopes: "scopes",
  accessTokenTtl: "access_token_ttl",
  allClients: "client_access",
  allowedClientIds: "allowed_clients",
};

export type ApiFormResult<T> = { ok: true; values: ApiFormValues; input: T } | { ok: false; values: ApiFormValues; errors: ApiFormErrors };

/**
 * Validates the form: with `create`, a new API (identifier included); otherwise its settings.
 * `clientChoices` are the client row ids the caller may allow (their own clients, and those the
 * API already allows): any other id is refused, so a form cannot name someone else's client.
 */
function parse<T>(form: FormLike, rules: { create: boolean; trustedName: boolean; clientChoices: ReadonlySet<string> }): ApiFormResult<T> {
  const values = readApiForm(form);
  const errors: ApiFormErrors = {};
  const lines = scopeLines(values.scopes);
  const ttl = ttlOf(values.access_token_ttl);
  if (ttl === "bad") errors.access_token_ttl = ["The token lifetime is a whole number of seconds, or empty for the default"];
  const listed = values.client_access === "listed";
  if (listed && values.allowed_clients.some((id) => !rules.clientChoices.has(id))) {
    errors.allowed_clients = ["Choose among your own clients"];
  }
  const schema = rules.create ? makeApiInputSchema({ trustedName: rules.trustedName }) : makeApiSettingsSchema({ trustedName: rules.trustedName });
  const parsed = schema.safeParse({
    name: values.name,
    ...(rules.create ? { identifier: values.identifier } : {}),
    scopes: lines.map(parseScopeArgument),
    accessTokenTtl: ttl === "bad" ? null : ttl,
    allClients: !listed,
    allowedClientIds: listed ? values.allowed_clients : [],
  });
  if (parsed.success && Object.keys(errors).length === 0) return { ok: true, values, input: parsed.data as T };
  if (!parsed.success) {
    const reported = new Set<string>();
    for (const issue of parsed.error.issues) {
      const field = FIELD_OF[String(issue.path[0])] ?? "name";
      // One message per field, and per scope line, the first (an empty identifier is also not a URI).
      const where = field === "scopes" && typeof issue.path[1] === "number" ? `scopes ${issue.path[1]}` : field;
      if (reported.has(where) && where !== "scopes") continue;
      reported.add(where);
      // A bad line is named, so that each of several mistakes can be found.
      const message = where === field ? issue.message : `${lines[issue.path[1] as number] ?? ""}: ${issue.message}`;
      (errors[field] ??= []).push(message);
    }
  }
  return { ok: false, values, errors };
}

export function parseNewApiForm(form: FormLike, rules: { trustedName: boolean; clientChoices: ReadonlySet<string> }): ApiFormResult<ApiInput> {
  return parse<ApiInput>(form, { ...rules, create: true });
}

export function parseApiSettingsForm(form: FormLike, rules: { trustedName: boolean; clientChoices: ReadonlySet<string> }): ApiFormResult<ApiSettings> {
  return parse<ApiSettings>(form, { ...rules, create: false });
}
