// Check (5b): scope (RFC 6749 §3.3: space-delimited, case-sensitive tokens), after resource.
//  - absent, or sent empty (RFC 6749 §3.1: a parameter without a value is omitted): the client's
//    registered scopes (RFC 7591 §2 `scope` metadata) plus every scope of the requested APIs
//    are the requested scope. RFC 6749 §3.3 lets the server either "process the request using a
//    pre-defined default value" or fail with invalid_scope; clients such as the MCP TypeScript
//    SDK send no scope, so we default. The default then goes through exactly the rules below,
//    as if the client had sent it: offline_access is dropped without the refresh_token grant,
//    and `openid` in it makes the request an OpenID Connect request (an ID token at the token
//    endpoint). The consent screen, the code and the tokens cannot tell a default from the same
//    scopes sent explicitly. The token response always says what was granted (RFC 6749 §5.1).
//  - only whitespace: invalid_scope (no scope-token, RFC 6749 §3.3's grammar);
//  - the portal's own scopes (openid, profile, email, offline_access) must be ones the client
//    registered; offline_access asks for a refresh token (OIDC Core §11): kept only when the
//    client may use the refresh_token grant, otherwise dropped silently (OIDC Core §11: "ignore");
//  - any other scope must be a scope of a requested API (RFC 8707: the resource says which API a
//    scope belongs to; the API's client list, not the client's registered scopes, governs it),
//    else invalid_scope. It comes out qualified by its API (lib/oauth/resources.ts), once per
//    requested API that has it: two APIs may both have `read`.
// A request that names scopes pays for nothing of the default but one null test.
import { InvalidScope } from "../errors";
import { qualifyScope } from "../resources";
import { isKnownScope, parseScope } from "../scopes";
import type { ApiRecord, OAuthClient } from "../types";
import { nameable, single, type RawParams } from "./params";

const named = (s: string) => {
  const shown = nameable(s);
  return shown ? ` ${shown}` : "";
};

/** A scope that is no requested API's: the authorization endpoint may say which API has it. */
export class ScopeOfNoRequestedApi extends InvalidScope {
  constructor(
    readonly scope: string,
    description: string,
  ) {
    super(description);
  }
}

export function checkScope(raw: RawParams, client: OAuthClient, apis: readonly ApiRecord[] = []): string[] {
  const sent = single(raw, "scope");
  // RFC 6749 §3.3: no scope -> the pre-defined default (see above).
  const requested =
    sent === null ? (apis.length === 0 ? client.scopes : [...new Set([...client.scopes, ...apis.flatMap((a) => a.scopes.map((s) => s.name))])]) : parseScope(sent);
  if (requested.length === 0) {
    throw new InvalidScope(sent === null ? "scope is missing and this client has no registered scopes to use instead" : "scope is required");
  }
  const kept: string[] = [];
  for (const s of requested) {
    if (isKnownScope(s)) {
      if (s === "offline_access" && !client.grantTypes.includes("refresh_token")) continue;
      if (!client.scopes.includes(s)) throw new InvalidScope(`This client may not request the scope${named(s)}`);
      kept.push(s);
      continue;
    }
    const owners = apis.filter((a) => a.scopes.some((x) => x.name === s));
    if (owners.length === 0) {
      const shown = nameable(s);
      if (apis.length === 0) throw new ScopeOfNoRequestedApi(s, `Unknown scope${named(s)}`);
      throw new ScopeOfNoRequestedApi(s, `${shown ?? "A scope"} is not a scope of the requested resource${apis.length > 1 ? "s" : ""}`);
    }
    for (const a of owners) kept.push(qualifyScope(a.identifier, s));
  }
  if (kept.length === 0) {
    throw new InvalidScope(sent === null ? "scope is missing and this client has no registered scope it may use here" : "No scope this client may request was asked for");
  }
  return kept;
}
