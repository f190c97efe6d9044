// The protocol core's stores (OAuthStores, lib/oauth/types.ts), each method written once.
//
// Prepared SQL (lib/db/protocol/sql.ts; on SQLite writes go through the writer thread of
// sqlite-writer.ts, on PostgreSQL batches of INSERTs are coalesced) where a request on the hot
// path calls it: the token endpoint, GET /oauth/authorize with consent given, and every token
// check. Prisma's per-query cost is too high there; docs/architecture.md has the figures.
//   clients.findByClientId and apis.* (cached, client-cache.ts), users.findById, sessions.findSignedIn,
//   consents.find, codes.create, codes.findByHash, tokens.redeemCode, tokens.rotateRefresh,
//   tokens.recordAccess, tokens.findRefreshByHash, tokens.findAccess
// Prisma for the rest, called rarely (a user's click, a revocation, an error):
//   clients.recordError, apis.findWithScope, consents.grant, requests.*, tokens.revokeGrant, tokens.revokeAccess,
//   audit.record
// Both write the same tables; lib/db/protocol/sql-prisma.test.ts checks that what the SQL
// writes is what Prisma reads, column by column, on SQLite and PostgreSQL.
import type { Db } from "../client";
import type { Sql } from "./sql";
import { audit } from "../audit";
import { protocolClients } from "./clients";
import { protocolApis } from "./apis";
import { protocolSessions, protocolUsers } from "./users";
import { protocolConsents } from "./consents";
import { protocolRequests } from "./requests";
import { protocolCodes } from "./codes";
import { protocolTokens } from "./tokens";
import type { OAuthStores } from "../../oauth/types";

export function protocolStores(db: Db, sql: Sql): OAuthStores {
  return {
    clients: protocolClients(db, sql),
    apis: protocolApis(db, sql),
    users: protocolUsers(sql),
    sessions: protocolSessions(sql),
    consents: protocolConsents(db, sql),
    requests: protocolRequests(db),
    codes: protocolCodes(sql),
    tokens: protocolTokens(db, sql),
    audit: { record: (e) => audit(db, e) },
  };
}
