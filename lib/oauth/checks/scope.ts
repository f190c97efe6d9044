// Check (5): scope (RFC 6749 §3.3: space-delimited, case-sensitive tokens).
//  - missing or empty: invalid_scope (we have no default scope to fall back on);
//  - every token must be a scope this server knows and one the client registered;
//  - offline_access asks for a refresh token (OIDC Core §11): kept only when the client may use
//    the refresh_token grant, otherwise dropped silently (OIDC Core §11: "ignore").
import { InvalidScope } from "../errors";
import { isKnownScope, parseScope } from "../scopes";
import type { OAuthClient } from "../types";
import { nameable, single, type RawParams } from "./params";

const named = (s: string) => {
  const shown = nameable(s);
  return shown ? ` ${shown}` : "";
};

export function checkScope(raw: RawParams, client: OAuthClient): string[] {
  const requested = parseScope(single(raw, "scope"));
  if (requested.length === 0) throw new InvalidScope("scope is required");
  for (const s of requested) {
    if (!isKnownScope(s)) throw new InvalidScope(`Unknown scope${named(s)}`);
  }
  const kept = requested.filter((s) => s !== "offline_access" || client.grantTypes.includes("refresh_token"));
  for (const s of kept) {
    if (!client.scopes.includes(s)) throw new InvalidScope(`This client may not request the scope${named(s)}`);
  }
  if (kept.length === 0) throw new InvalidScope("No scope this client may request was asked for");
  return kept;
}
