// Check (5): scope (RFC 6749 §3.3: space-delimited, case-sensitive tokens).
//  - absent, or sent empty (RFC 6749 §3.1: a parameter without a value is omitted): the client's
//    registered scopes (RFC 7591 §2 `scope` metadata) are the requested scope. RFC 6749 §3.3
//    lets the server either "process the request using a pre-defined default value" or fail
//    with invalid_scope; clients such as the MCP TypeScript SDK send no scope, so we default.
//    The registered set then goes through exactly the rules below, as if the client had sent
//    it: offline_access is dropped without the refresh_token grant, and `openid` in it makes
//    the request an OpenID Connect request (an ID token at the token endpoint). That is the
//    one consistent answer: the consent screen, the code and the tokens cannot tell a default
//    from the same scopes sent explicitly. The token response always says what was granted
//    (RFC 6749 §5.1, lib/oauth/tokens.ts).
//  - only whitespace: invalid_scope (no scope-token, RFC 6749 §3.3's grammar);
//  - every token must be a scope this server knows and one the client registered;
//  - offline_access asks for a refresh token (OIDC Core §11): kept only when the client may use
//    the refresh_token grant, otherwise dropped silently (OIDC Core §11: "ignore").
// A request that names scopes pays for nothing of the default but one null test.
import { InvalidScope } from "../errors";
import { isKnownScope, parseScope } from "../scopes";
import type { OAuthClient } from "../types";
import { nameable, single, type RawParams } from "./params";

const named = (s: string) => {
  const shown = nameable(s);
  return shown ? ` ${shown}` : "";
};

export function checkScope(raw: RawParams, client: OAuthClient): string[] {
  const sent = single(raw, "scope");
  // RFC 6749 §3.3: no scope -> the pre-defined default, here the client's registered scopes.
  const requested = sent === null ? client.scopes : parseScope(sent);
  if (requested.length === 0) {
    throw new InvalidScope(sent === null ? "scope is missing and this client has no registered scopes to use instead" : "scope is required");
  }
  for (const s of requested) {
    if (!isKnownScope(s)) throw new InvalidScope(`Unknown scope${named(s)}`);
  }
  const kept = requested.filter((s) => s !== "offline_access" || client.grantTypes.includes("refresh_token"));
  for (const s of kept) {
    if (!client.scopes.includes(s)) throw new InvalidScope(`This client may not request the scope${named(s)}`);
  }
  if (kept.length === 0) {
    throw new InvalidScope(sent === null ? "scope is missing and this client has no registered scope it may use here" : "No scope this client may request was asked for");
  }
  return kept;
}
