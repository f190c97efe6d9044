// What an API (a protected resource) is made of, validated the same way for the CLI and the
// dashboard: a name, an identifier (the audience of its tokens and its RFC 8707 resource value),
// its scopes with the plain words the consent screen shows, an access-token lifetime, and which
// clients may ask for it.
import { z } from "zod";
import { clientNameProblem } from "./client-name";
import { resourceProblem, SCOPE_TOKEN } from "./resources";
import { isKnownScope } from "./scopes";
import { hasControlChars } from "./text";

export const MAX_API_SCOPES = 100;
export const MAX_SCOPE_DESCRIPTION = 200;
export const MIN_API_TOKEN_TTL = 60;
export const MAX_API_TOKEN_TTL = 24 * 3600;

export interface ApiScope {
  name: string;
  description: string;
}

export const apiScopeSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1, "A scope needs a name")
    .max(100, "A scope name is at most 100 characters")
    .regex(SCOPE_TOKEN, "A scope name has no spaces, quotes or backslashes (RFC 6749 §3.3)")
    // openid, profile, email, offline_access belong to the portal: an API scope of that name
    // could not be told from them in a token's scope.
    .refine((s) => !isKnownScope(s), "openid, profile, email and offline_access are the portal's own scopes"),
  description: z
    .string()
    .trim()
    .max(MAX_SCOPE_DESCRIPTION, `A scope description is at most ${MAX_SCOPE_DESCRIPTION} characters`)
    .refine((s) => !hasControlChars(s), "A scope description must not contain control characters")
    .default(""),
});

export const apiScopesSchema = z
  .array(apiScopeSchema)
  .max(MAX_API_SCOPES, `At most ${MAX_API_SCOPES} scopes`)
  .superRefine((scopes, ctx) => {
    const seen = new Set<string>();
    for (const s of scopes) {
      if (seen.has(s.name)) ctx.addIssue({ code: "custom", message: `Scope ${s.name} is listed twice` });
      seen.add(s.name);
    }
  });

const tokenTtlSchema = z
  .number()
  .int("The token lifetime is a whole number of seconds")
  .min(MIN_API_TOKEN_TTL, `The token lifetime is at least ${MIN_API_TOKEN_TTL} seconds`)
  .max(MAX_API_TOKEN_TTL, `The token lifetime is at most ${MAX_API_TOKEN_TTL} seconds (a day)`)
  .nullable();

/** The name shown on the consent screen ("Items API: Read your items"): the client-name rules. */
const nameSchema = (trusted: boolean) =>
  z
    .string()
    .trim()
    .min(1, "Name is required")
    .max(100, "Name is at most 100 characters")
    .superRefine((s, ctx) => {
      const problem = clientNameProblem(s, { trusted });
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    });

/** The identifier: an absolute URI without fragment (RFC 8707 §2). Fixed once created. */
export const apiIdentifierSchema = z
  .string()
  .trim()
  .min(1, "Identifier is required")
  .superRefine((s, ctx) => {
    const problem = resourceProblem(s);
    if (problem) ctx.addIssue({ code: "custom", message: `Identifier ${problem}` });
  });

export interface ApiRules {
  /** An admin (or the CLI) names the API: a name that imitates the server is allowed (client-name.ts). */
  trustedName?: boolean;
}

/** What can change after creation (everything but the identifier). */
export function makeApiSettingsSchema(rules: ApiRules = {}) {
  return z.object({
    name: nameSchema(rules.trustedName ?? false),
    scopes: apiScopesSchema.default([]),
    accessTokenTtl: tokenTtlSchema.default(null),
    allClients: z.boolean().default(true),
    /** Internal client row ids; used when allClients is false. */
    allowedClientIds: z.array(z.string().min(1).max(128)).max(1000).default([]),
  });
}

/** A new API: its settings and its identifier. */
export function makeApiInputSchema(rules: ApiRules = {}) {
  return makeApiSettingsSchema(rules).extend({ identifier: apiIdentifierSchema });
}

export type ApiSettings = z.infer<ReturnType<typeof makeApiSettingsSchema>>;
export type ApiInput = z.infer<ReturnType<typeof makeApiInputSchema>>;

/**
 * A scope as the CLI writes it: `name=plain words` (or just `name`). The first `=` splits, so
 * a scope name given this way cannot contain `=`.
 */
export function parseScopeArgument(arg: string): { name: string; description: string } {
  const i = arg.indexOf("=");
  return i === -1 ? { name: arg.trim(), description: "" } : { name: arg.slice(0, i).trim(), description: arg.slice(i + 1).trim() };
}
