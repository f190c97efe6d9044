// API lookups for the protocol: the authorization and token endpoints resolve every RFC 8707
// `resource` (and a client's default API) to its API. client_credentials with a resource is a
// hot path, so: SQL behind the client cache (client-cache.ts), which every change to an API
// empties too (lib/db/apis.ts wraps its transactions in clientChange). Misses are not cached.
// findWithScope (an error message's hint, never on a path that succeeds): Prisma.
import type { Db } from "../client";
import type { Sql } from "./sql";
import { bool, str, type Row } from "./rows";
import { clientCache } from "./client-cache";
import type { ApiRecord, ApiScopeRecord, OAuthStores } from "../../oauth/types";

const COLUMNS = 'SELECT "id", "identifier", "name", "scopes", "accessTokenTtl", "allClients", "allowedClientIds" FROM "Api"';

function apiOf(r: Row): ApiRecord {
  const ttl = str(r.accessTokenTtl);
  return {
    id: String(r.id),
    identifier: String(r.identifier),
    name: String(r.name),
    scopes: (JSON.parse(String(r.scopes)) as ApiScopeRecord[]).map(({ name, description }) => ({ name, description })),
    accessTokenTtl: ttl === null ? null : Number(ttl),
    allClients: bool(r.allClients),
    allowedClientIds: JSON.parse(String(r.allowedClientIds)) as string[],
  };
}

export function protocolApis(db: Db, sql: Sql): OAuthStores["apis"] {
  const byIdentifier = clientCache<ApiRecord>();
  const byId = clientCache<ApiRecord>();
  const load = async (column: "identifier" | "id", value: string) => {
    const r = await sql.one<Row>(`${COLUMNS} WHERE "${column}" = ?`, [value]);
    return r ? apiOf(r) : null;
  };
  return {
    findByIdentifier: (identifier) => byIdentifier.get(identifier, () => load("identifier", identifier)),
    findById: (id) => byId.get(id, () => load("id", id)),
    async findWithScope(scope) {
      // The JSON text holds {"name":"<scope>",…}; `contains` narrows, the parse decides.
      const rows = await db.api.findMany({ where: { scopes: { contains: `"name":${JSON.stringify(scope)}` } }, orderBy: { createdAt: "asc" }, take: 20 });
      return rows.map((r) => apiOf(r)).filter((a) => a.scopes.some((x) => x.name === scope));
    },
  };
}
