// Scopes in plain words, grouped as people read them: the portal's own (OpenID Connect) scopes
// first, then each API's scopes under the API's name ("Items API: Read your items"). Used by the
// consent screen and the Connected apps page; stored scopes may be qualified by their API
// (lib/oauth/resources.ts).
import { unqualifyScope } from "./resources";
import { isKnownScope, SCOPES } from "./scopes";
import type { ApiRecord } from "./types";

export interface ScopeLine {
  /** The scope as stored (qualified for an API's scope): a stable key. */
  key: string;
  /** Plain words: the description, else the scope's own name. */
  text: string;
}

export interface ScopeGroup {
  /** null: the portal's own scopes. */
  api: { name: string; identifier: string } | null;
  lines: ScopeLine[];
}

type ApiInfo = Pick<ApiRecord, "identifier" | "name" | "scopes">;

export function groupScopes(stored: readonly string[], apis: readonly ApiInfo[]): ScopeGroup[] {
  const portal: ScopeGroup = { api: null, lines: [] };
  const byApi = new Map<string, ScopeGroup>();
  for (const key of stored) {
    const { resource, scope } = unqualifyScope(key);
    if (resource === null) {
      portal.lines.push({ key, text: isKnownScope(scope) ? SCOPES[scope] : scope });
      continue;
    }
    const api = apis.find((a) => a.identifier === resource);
    let group = byApi.get(resource);
    if (!group) byApi.set(resource, (group = { api: { name: api?.name ?? resource, identifier: resource }, lines: [] }));
    group.lines.push({ key, text: api?.scopes.find((s) => s.name === scope)?.description || scope });
  }
  return [...(portal.lines.length ? [portal] : []), ...byApi.values()];
}

/** The API identifiers that stored scopes name (to look their APIs up). */
export function apisNamedIn(stored: readonly string[]): string[] {
  return [...new Set(stored.map((s) => unqualifyScope(s).resource).filter((r): r is string => r !== null))];
}

/**
 * One line for operators (the admin console): the portal's scopes by name, then each API's
 * scopes by their own name under the API's name, e.g. "openid email · Items API: read write".
 * Stored API scopes are qualified `<identifier>\<scope>` (lib/oauth/resources.ts); shown raw
 * they would read as noise.
 */
export function scopeSummary(stored: readonly string[], apis: readonly Pick<ApiRecord, "identifier" | "name">[]): string {
  const portal: string[] = [];
  const byApi = new Map<string, string[]>();
  for (const key of stored) {
    const { resource, scope } = unqualifyScope(key);
    if (resource === null) portal.push(scope);
    else byApi.set(resource, [...(byApi.get(resource) ?? []), scope]);
  }
  const parts = portal.length ? [portal.join(" ")] : [];
  for (const [resource, scopes] of byApi) {
    parts.push(`${apis.find((a) => a.identifier === resource)?.name ?? resource}: ${scopes.join(" ")}`);
  }
  return parts.join(" · ") || "no scopes";
}
