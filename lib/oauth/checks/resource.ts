// Check (5a): resource (RFC 8707 §2), possibly repeated: the APIs the tokens will be for.
//  - each value an absolute URI without a fragment, else invalid_target;
//  - a registered API, else invalid_target;
//  - an API this client may ask for (all clients, or the API's list), else invalid_target.
// None sent: the client's default API if it has one, else none (plain OpenID Connect: the
// access token's audience is the issuer). The APIs are looked up before the checks run
// (resourceLookups, one cached read each), so that this check stays pure.
import { InvalidTarget } from "../errors";
import { resourceProblem } from "../resources";
import type { ApiRecord, OAuthClient } from "../types";
import { values, type RawParams } from "./params";

/** More resources than any one authorization needs; beyond it nothing is looked up. */
export const MAX_RESOURCES = 10;

/** What the lookups found: identifier -> the API, or null when none has it. */
export type FoundApis = ReadonlyMap<string, ApiRecord | null>;

export const NO_APIS: FoundApis = new Map();

/** The value as an error description can name it (safeDescription replaces what it may not hold). */
export const shownResource = (v: string) => (v.length <= 100 ? v : `${v.slice(0, 100)}...`);
const named = shownResource;

/** The values to look up: those sent (or the client's default), deduplicated, if they could pass. */
export function resourceLookups(raw: RawParams, client: OAuthClient): string[] {
  const sent = values(raw, "resource");
  if (sent.length === 0) return client.defaultResource ? [client.defaultResource] : [];
  const unique = [...new Set(sent)];
  return unique.length <= MAX_RESOURCES && unique.every((v) => resourceProblem(v) === null) ? unique : [];
}

/** Whether `api` lets `client` ask for tokens for it. */
export const allowsClient = (api: ApiRecord, client: Pick<OAuthClient, "id">) => api.allClients || api.allowedClientIds.includes(client.id);

/** The requested APIs, in the order first named; throws InvalidTarget. */
export function checkResource(raw: RawParams, client: OAuthClient, found: FoundApis): ApiRecord[] {
  const sent = values(raw, "resource");
  const wanted = sent.length === 0 ? (client.defaultResource ? [client.defaultResource] : []) : [...new Set(sent)];
  if (wanted.length > MAX_RESOURCES) throw new InvalidTarget(`At most ${MAX_RESOURCES} resources may be requested`);
  const apis: ApiRecord[] = [];
  for (const v of wanted) {
    const problem = resourceProblem(v);
    if (problem) throw new InvalidTarget(`The resource ${named(v)} ${problem} (RFC 8707)`);
    const api = found.get(v);
    if (!api) throw new InvalidTarget(`The resource ${named(v)} is not an API registered here`);
    if (!allowsClient(api, client)) throw new InvalidTarget(`This client may not request the resource ${named(v)}`);
    apis.push(api);
  }
  return apis;
}
