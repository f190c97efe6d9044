// Client registration input, in RFC 7591 §2 names, validated the same way for the CLI, the
// dashboard and dynamic registration.
import { z } from "zod";
import { hasControlChars } from "./text";
import { KNOWN_SCOPES, isKnownScope, parseScope } from "./scopes";
import { redirectUriProblem } from "./redirect-uri";
import { clientNameProblem } from "./client-name";

// implicit: response_type=id_token only (OIDC Core §3.2, RFC 7591 §2.1); never an access token
// in the front channel (RFC 9700 §2.1.2).
export const GRANT_TYPES = ["authorization_code", "refresh_token", "client_credentials", "implicit"] as const;
export type GrantType = (typeof GRANT_TYPES)[number];
export const AUTH_METHODS = ["client_secret_basic", "client_secret_post", "none"] as const;
export type AuthMethod = (typeof AUTH_METHODS)[number];
/** The algorithms the key ring signs with (discovery's id_token_signing_alg_values_supported). */
export const SIGNING_ALGS = ["ES256", "RS256"] as const;
export type IdTokenAlg = (typeof SIGNING_ALGS)[number];

/** An absolute https URL (http only for loopback hosts, for local development). */
function httpsUrl(label: string) {
  return z
    .string()
    .trim()
    .max(2000, `${label} is longer than 2000 characters`)
    .refine((u) => !hasControlChars(u), `${label} must not contain control characters`)
    .refine((u) => {
      try {
        const url = new URL(u);
        if (url.username || url.password) return false;
        return url.protocol === "https:" || (url.protocol === "http:" && ["127.0.0.1", "[::1]", "localhost"].includes(url.hostname));
      } catch {
        return false;
      }
    }, `${label} must be an https URL`);
}

/** What the rules depend on beyond the input itself. */
export interface ClientMetadataRules {
  /** This server's ISSUER: redirect URIs on its own origin are refused (see redirect-uri.ts), and names containing its host (client-name.ts). */
  issuer?: string;
  /** An admin registers or edits the client: a name that imitates the server is allowed (client-name.ts). */
  trustedName?: boolean;
  /**
   * The id_token_signed_response_alg of a client that does not name one: ES256 (the CLI and the
   * dashboard) unless given. Dynamic registration passes RS256 (./registration.ts).
   */
  defaultIdTokenAlg?: IdTokenAlg;
  /**
   * Scope names of registered APIs that `scope` may also list (RFC 7591 §2: the scopes the client
   * can use), e.g. an MCP client registering with `mcp:tools`. Looked up by the caller, which
   * knows the store (registration: apiScopeNames below); none by default.
   */
  apiScopes?: ReadonlySet<string>;
}

/**
 * The names in a `scope` value that are not this server's own scopes: the ones a caller must look
 * up among the APIs' scopes before validating (at most `max`; beyond that they are not looked up
 * and fail as unknown, so a request cannot make the server run many queries).
 */
export function apiScopeCandidates(scope: unknown, max = 20): string[] {
  if (typeof scope !== "string") return [];
  const names = parseScope(scope).filter((s) => !isKnownScope(s));
  return names.length <= max ? names : [];
}

/** Which of `names` are scopes of a registered API: one query per name (at most 20, apiScopeCandidates). */
// `apis` is OAuthStores["apis"] (./types.ts, which imports this module: named structurally here).
export function knownApiScopes(apis: { findWithScope(scope: string): Promise<readonly unknown[]> }): (names: string[]) => Promise<ReadonlySet<string>> {
  return async (names) => {
    const found = await Promise.all(names.map(async (n) => ((await apis.findWithScope(n)).length ? n : null)));
    return new Set(found.filter((n) => n !== null));
  };
}

/** The schema, with redirect URIs on `rules.issuer`'s origin refused when it is given. */
export function makeClientMetadataSchema(rules: ClientMetadataRules = {}) {
  return z
    .object({
      client_name: z
        .string()
        .trim()
        .min(1, "Name is required")
        .max(100, "Name is at most 100 characters")
        // Control, bidi and invisible characters, and names that imitate this server (client-name.ts).
        .superRefine((s, ctx) => {
          const problem = clientNameProblem(s, { issuer: rules.issuer, trusted: rules.trustedName });
          if (problem) ctx.addIssue({ code: "custom", message: problem });
        }),
      // Latchkey extension (not in RFC 7591): a sentence shown on the consent screen and in lists.
      description: z
        .string()
        .trim()
        .max(300, "Description is at most 300 characters")
        .refine((s) => !hasControlChars(s), "Description must not contain control characters")
        .optional(),
      // RFC 7591 §2: client_uri (home page) and logo_uri; https only (shown to end users).
      client_uri: httpsUrl("Home page").optional(),
      logo_uri: httpsUrl("Logo URL").optional(),
      redirect_uris: z.array(z.string().trim()).max(20, "At most 20 redirect URIs").default([]),
      post_logout_redirect_uris: z.array(z.string().trim()).max(20).default([]),
      token_endpoint_auth_method: z.enum(AUTH_METHODS).default("client_secret_basic"),
      grant_types: z.array(z.enum(GRANT_TYPES)).min(1).default(["authorization_code", "refresh_token"]),
      scope: z
        .string()
        .default("openid profile email offline_access")
        .refine(
          (s) => parseScope(s).every((n) => isKnownScope(n) || rules.apiScopes?.has(n)),
          `Unknown scope; known: ${KNOWN_SCOPES.join(" ")} and the scopes of this server's APIs`,
        ),
      require_pkce: z.boolean().default(true),
      // OIDC Registration §2: the alg of the ID tokens (and, here, access tokens) issued to it.
      id_token_signed_response_alg: z.enum(SIGNING_ALGS).default(rules.defaultIdTokenAlg ?? "ES256"),
      // Latchkey extension (no registration field names it; dynamic registration ignores it): ID
      // tokens carry the granted profile/email claims (OIDC Core §5.4), as relying-party
      // libraries that build the user from the ID token expect. Off: only userinfo returns them.
      id_token_user_claims: z.boolean().default(true),
    })
    .superRefine((c, ctx) => {
      const publicClient = c.token_endpoint_auth_method === "none";
      c.redirect_uris.forEach((uri, i) => {
        const problem = redirectUriProblem(uri, { publicClient, issuer: rules.issuer });
        if (problem) ctx.addIssue({ code: "custom", path: ["redirect_uris", i], message: `${uri} ${problem}` });
      });
      c.post_logout_redirect_uris.forEach((uri, i) => {
        const problem = redirectUriProblem(uri, { publicClient, issuer: rules.issuer });
        if (problem) ctx.addIssue({ code: "custom", path: ["post_logout_redirect_uris", i], message: `${uri} ${problem}` });
      });
      if ((c.grant_types.includes("authorization_code") || c.grant_types.includes("implicit")) && c.redirect_uris.length === 0) {
        ctx.addIssue({ code: "custom", path: ["redirect_uris"], message: "At least one redirect URI is required" });
      }
      if (c.grant_types.includes("refresh_token") && !c.grant_types.includes("authorization_code")) {
        ctx.addIssue({ code: "custom", path: ["grant_types"], message: "refresh_token needs authorization_code" });
      }
      if (publicClient && c.grant_types.includes("client_credentials")) {
        // RFC 6749 §4.4: the client credentials grant MUST only be used by confidential clients.
        ctx.addIssue({ code: "custom", path: ["grant_types"], message: "A public client cannot use client_credentials" });
      }
      if (publicClient && !c.require_pkce) {
        // RFC 9700 §2.1.1: public clients MUST use PKCE.
        ctx.addIssue({ code: "custom", path: ["require_pkce"], message: "A public client must use PKCE" });
      }
    });
}

/** The schema without an issuer (the CLI); the dashboard and dynamic registration pass ISSUER. */
export const clientMetadataSchema = makeClientMetadataSchema();

export type ClientMetadataInput = z.input<typeof clientMetadataSchema>;
export type ClientMetadata = z.output<typeof clientMetadataSchema>;
