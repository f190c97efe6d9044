// The CLI's commands (contract in ../shared/DESIGN.md): each returns one JSON-serialisable
// object, or throws CliError with a message for stderr. scripts/cli.ts does the printing.
import { parseArgs, type ParseArgsConfig } from "node:util";
import { z } from "zod";
import type { Stores } from "../db";
import { ROLES, type Role } from "../auth/roles";
import { EmailTaken } from "../db/users";
import { ApiIdentifierTaken } from "../db/apis";
import { makeApiInputSchema, parseScopeArgument } from "../oauth/api-metadata";
import { hashPassword, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "../auth/password";
import { hasForbiddenNameCharacters } from "../auth/display-name";
import { AUTH_METHODS, clientMetadataSchema, GRANT_TYPES, SIGNING_ALGS, type AuthMethod } from "../oauth/client-metadata";

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

export const USAGE = `Usage: npm run --silent cli -- <command> [options]

  user create --email E --password P [--name N] [--role user|developer|admin]
  user disable --email E          (ends the user's sessions at once)
  user enable --email E
  user unlock --email E           (clears failed sign-in locks: the way in when every admin is locked out)
  client create --name N --redirect-uri U [--redirect-uri U2 ...] [--public]
                [--auth-method client_secret_basic|client_secret_post|none]
                [--post-logout-redirect-uri U [--post-logout-redirect-uri U2 ...]]
                [--scope "openid profile email offline_access"]
                [--grant-types "authorization_code refresh_token client_credentials"]
                [--owner EMAIL] [--id-token-alg ES256|RS256] [--default-api IDENTIFIER]
                (--public is short for --auth-method none)
  api create --name N --identifier URI [--scope "name=plain words" ...] [--token-ttl SECONDS]
             [--owner EMAIL]
             (prints the API's own client_id and client_secret, for introspection: shown once)
  api list
  keys rotate
  keys list
  db backup FILE [--force]        (SQLite: a consistent online backup, mode 0600; --force replaces FILE)

Prints one JSON object on stdout; errors go to stderr with a non-zero exit code.`;

export interface KeyCommands {
  rotate(): Promise<object>;
  list(): Promise<object>;
}

export interface DatabaseCommands {
  backup(file: string, force: boolean): Promise<object>;
}

export interface CliDeps {
  stores: Pick<Stores, "users" | "clients" | "apis">;
  keys: KeyCommands;
  database: DatabaseCommands;
}

function parse<T extends NonNullable<ParseArgsConfig["options"]>>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values;
  } catch (err) {
    throw new CliError(`${(err as Error).message}\n\n${USAGE}`, 2);
  }
}

function zodMessage(err: z.ZodError): string {
  return err.issues.map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message)).join("\n");
}

const emailSchema = z.email("--email must be an email address");

async function userCreate(deps: CliDeps, args: string[]) {
  const v = parse(args, {
    email: { type: "string" },
    password: { type: "string" },
    name: { type: "string" },
    role: { type: "string", default: "user" },
  });
  if (!v.email || !v.password) throw new CliError("user create needs --email and --password.", 2);
  const email = emailSchema.safeParse(v.email.trim());
  if (!email.success) throw new CliError(zodMessage(email.error));
  if (v.password.length < PASSWORD_MIN_LENGTH || v.password.length > PASSWORD_MAX_LENGTH) {
    throw new CliError(`--password must be ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters.`);
  }
  if (!ROLES.includes(v.role as Role)) throw new CliError(`--role must be one of: ${ROLES.join(", ")}.`);
  if (v.name !== undefined && hasForbiddenNameCharacters(v.name)) {
    throw new CliError("--name must not contain control characters or invisible formatting (such as bidirectional overrides).");
  }
  try {
    const u = await deps.stores.users.create({
      email: email.data,
      name: v.name,
      passwordHash: await hashPassword(v.password),
      role: v.role as Role,
    });
    return { id: u.id, email: u.email, name: u.name, role: u.role, created_at: u.createdAt.toISOString() };
  } catch (err) {
    if (err instanceof EmailTaken) throw new CliError(err.message);
    throw err;
  }
}

async function userSetDisabled(deps: CliDeps, args: string[], disabled: boolean) {
  const v = parse(args, { email: { type: "string" } });
  if (!v.email) throw new CliError(`user ${disabled ? "disable" : "enable"} needs --email.`, 2);
  const user = await deps.stores.users.findByEmail(v.email);
  if (!user) throw new CliError(`No user with email ${v.email.trim().toLowerCase()}.`);
  const u = await deps.stores.users.setDisabled(user.id, disabled);
  return { id: u.id, email: u.email, disabled: u.disabled };
}

async function userUnlock(deps: CliDeps, args: string[]) {
  const v = parse(args, { email: { type: "string" } });
  if (!v.email) throw new CliError("user unlock needs --email.", 2);
  const user = await deps.stores.users.findByEmail(v.email);
  if (!user) throw new CliError(`No user with email ${v.email.trim().toLowerCase()}.`);
  const r = await deps.stores.users.unlock(user.id);
  return { id: user.id, email: user.email, unlocked: true, counters_cleared: r.counters };
}

/** --auth-method, or --public (its shorthand for none); both given must agree. */
function clientAuthMethod(flag: string | undefined, isPublic: boolean): AuthMethod {
  if (flag === undefined) return isPublic ? "none" : "client_secret_basic";
  const method = flag.trim();
  if (!(AUTH_METHODS as readonly string[]).includes(method)) {
    throw new CliError(`--auth-method must be one of: ${AUTH_METHODS.join(", ")}.`);
  }
  if (isPublic && method !== "none") {
    throw new CliError(`--public means --auth-method none; it contradicts --auth-method ${method}.`, 2);
  }
  return method as AuthMethod;
}

async function clientCreate(deps: CliDeps, args: string[]) {
  const v = parse(args, {
    name: { type: "string" },
    "redirect-uri": { type: "string", multiple: true, default: [] },
    "post-logout-redirect-uri": { type: "string", multiple: true, default: [] },
    public: { type: "boolean", default: false },
    "auth-method": { type: "string" },
    scope: { type: "string" },
    "grant-types": { type: "string" },
    owner: { type: "string" },
    "id-token-alg": { type: "string" },
    "id-token-claims": { type: "string" },
    "default-api": { type: "string" },
  });
  if (!v.name) throw new CliError("client create needs --name.", 2);
  const alg = v["id-token-alg"]?.trim();
  if (alg !== undefined && !(SIGNING_ALGS as readonly string[]).includes(alg)) {
    throw new CliError(`--id-token-alg must be one of: ${SIGNING_ALGS.join(", ")}.`);
  }
  const claims = v["id-token-claims"]?.trim();
  if (claims !== undefined && claims !== "on" && claims !== "off") throw new CliError("--id-token-claims must be on or off.");
  const authMethod = clientAuthMethod(v["auth-method"], v.public);
  const grantTypes = v["grant-types"]?.split(/[\s,]+/).filter(Boolean);
  const unknown = grantTypes?.filter((g) => !(GRANT_TYPES as readonly string[]).includes(g)) ?? [];
  if (unknown.length) throw new CliError(`Unknown grant type ${unknown.join(", ")}; known: ${GRANT_TYPES.join(" ")}.`);
  const parsed = clientMetadataSchema.safeParse({
    client_name: v.name,
    redirect_uris: v["redirect-uri"],
    post_logout_redirect_uris: v["post-logout-redirect-uri"],
    token_endpoint_auth_method: authMethod,
    grant_types: grantTypes,
    scope: v.scope,
    id_token_signed_response_alg: alg,
    id_token_user_claims: claims === undefined ? undefined : claims === "on",
  });
  if (!parsed.success) throw new CliError(zodMessage(parsed.error));
  const ownerId = await ownerOf(deps, v.owner);
  let defaultApi: { id: string; identifier: string } | null = null;
  if (v["default-api"] !== undefined) {
    defaultApi = await deps.stores.apis.findByIdentifier(v["default-api"].trim());
    if (!defaultApi) throw new CliError(`No API with the identifier ${v["default-api"].trim()} (--default-api).`);
  }
  const created = await deps.stores.clients.create(parsed.data, ownerId, null, "cli", true, defaultApi?.id ?? null);
  const m = parsed.data;
  return {
    // The row id: the dashboard's URLs (/dashboard/clients/<id>) use it.
    id: created.id,
    client_id: created.client_id,
    ...(created.client_secret ? { client_secret: created.client_secret } : {}),
    client_name: m.client_name,
    redirect_uris: m.redirect_uris,
    // Only when given: the output for a client without them is unchanged.
    ...(m.post_logout_redirect_uris.length ? { post_logout_redirect_uris: m.post_logout_redirect_uris } : {}),
    token_endpoint_auth_method: m.token_endpoint_auth_method,
    grant_types: m.grant_types,
    scope: m.scope,
    require_pkce: m.require_pkce,
    id_token_signed_response_alg: m.id_token_signed_response_alg,
    id_token_user_claims: m.id_token_user_claims,
    ...(defaultApi ? { default_api: defaultApi.identifier } : {}),
  };
}

/** --owner EMAIL as a user id (null without --owner). */
async function ownerOf(deps: CliDeps, email: string | undefined): Promise<string | null> {
  if (!email) return null;
  const owner = await deps.stores.users.findByEmail(email);
  if (!owner) throw new CliError(`No user with email ${email.trim().toLowerCase()} (--owner).`);
  return owner.id;
}

/** An API as the CLI prints it (RFC 8707 identifier, scope names, their descriptions). */
function apiOutput(a: { id: string; name: string; identifier: string; scopes: { name: string; description: string }[]; accessTokenTtl: number | null }) {
  return {
    id: a.id,
    name: a.name,
    identifier: a.identifier,
    scopes: a.scopes.map((s) => s.name),
    scope_descriptions: Object.fromEntries(a.scopes.map((s) => [s.name, s.description])),
    ...(a.accessTokenTtl !== null ? { access_token_ttl: a.accessTokenTtl } : {}),
  };
}

async function apiCreate(deps: CliDeps, args: string[]) {
  const v = parse(args, {
    name: { type: "string" },
    identifier: { type: "string" },
    scope: { type: "string", multiple: true, default: [] },
    "token-ttl": { type: "string" },
    owner: { type: "string" },
  });
  if (!v.name || !v.identifier) throw new CliError("api create needs --name and --identifier.", 2);
  let ttl: number | null = null;
  if (v["token-ttl"] !== undefined) {
    if (!/^\d{1,9}$/.test(v["token-ttl"].trim())) throw new CliError("--token-ttl must be a whole number of seconds.");
    ttl = Number(v["token-ttl"].trim());
  }
  const parsed = makeApiInputSchema({ trustedName: true }).safeParse({
    name: v.name,
    identifier: v.identifier,
    scopes: v.scope.map(parseScopeArgument),
    accessTokenTtl: ttl,
  });
  if (!parsed.success) throw new CliError(zodMessage(parsed.error));
  const ownerId = await ownerOf(deps, v.owner);
  try {
    const created = await deps.stores.apis.create(parsed.data, ownerId, null);
    return { ...apiOutput(created.api), client_id: created.client_id, client_secret: created.client_secret };
  } catch (err) {
    if (err instanceof ApiIdentifierTaken) throw new CliError(err.message);
    throw err;
  }
}

async function apiList(deps: CliDeps, args: string[]) {
  parse(args, {});
  const apis = await deps.stores.apis.listFor({ id: "", admin: true });
  return { apis: apis.map((a) => ({ ...apiOutput(a), client_id: a.credentials?.clientId ?? null })) };
}

async function dbBackup(deps: CliDeps, args: string[]) {
  let parsed: { values: { force?: boolean }; positionals: string[] };
  try {
    parsed = parseArgs({ args, options: { force: { type: "boolean", default: false } }, strict: true, allowPositionals: true });
  } catch (err) {
    throw new CliError(`${(err as Error).message}\n\n${USAGE}`, 2);
  }
  const [file, ...extra] = parsed.positionals;
  if (!file || extra.length) throw new CliError(`db backup needs exactly one FILE.\n\n${USAGE}`, 2);
  return deps.database.backup(file, parsed.values.force === true);
}

export async function runCli(argv: string[], deps: CliDeps): Promise<object> {
  const [noun, verb, ...rest] = argv;
  const command = `${noun ?? ""} ${verb ?? ""}`.trim();
  switch (command) {
    case "user create":
      return userCreate(deps, rest);
    case "user disable":
      return userSetDisabled(deps, rest, true);
    case "user enable":
      return userSetDisabled(deps, rest, false);
    case "user unlock":
      return userUnlock(deps, rest);
    case "client create":
      return clientCreate(deps, rest);
    case "api create":
      return apiCreate(deps, rest);
    case "api list":
      return apiList(deps, rest);
    case "keys rotate":
      parse(rest, {});
      return deps.keys.rotate();
    case "keys list":
      parse(rest, {});
      return deps.keys.list();
    case "db backup":
      return dbBackup(deps, rest);
    case "help":
    case "--help":
      return { usage: USAGE };
    default:
      throw new CliError(`${command ? `Unknown command "${command}".` : "No command given."}\n\n${USAGE}`, 2);
  }
}
