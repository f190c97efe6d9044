// Client lookups: findByClientId runs on every token and authorization request, as SQL behind
// a short-lived cache (client-cache.ts); recordError (a client's last error) on Prisma.
import type { Db } from "../client";
import type { Sql } from "./sql";
import { bool, str, type Row } from "./rows";
import { clientCache } from "./client-cache";
import type { AuthMethod, GrantType } from "../../oauth/client-metadata";
import type { OAuthClient, OAuthStores, SigningAlg } from "../../oauth/types";
import { parseScope } from "../../oauth/scopes";

export function protocolClients(db: Db, sql: Sql): OAuthStores["clients"] {
  const clients = clientCache<OAuthClient>();
  async function loadClient(clientId: string): Promise<OAuthClient | null> {
    const c = await sql.one<Row>(
      'SELECT c."id", c."clientId", c."name", c."logoUrl", c."homepageUrl", c."verified", c."tokenEndpointAuthMethod", c."secretHash", c."previousSecretHash", c."previousSecretExpiresAt", c."redirectUris", c."postLogoutRedirectUris", c."scopes", c."grantTypes", c."requirePkce", c."idTokenSignedResponseAlg", c."suspended", u."name" AS "ownerNameCol", u."email" AS "ownerEmail", d."identifier" AS "defaultResource", a."identifier" AS "resourceServer" FROM "Client" c LEFT JOIN "User" u ON u."id" = c."ownerId" LEFT JOIN "Api" d ON d."id" = c."defaultApiId" LEFT JOIN "Api" a ON a."id" = c."apiId" WHERE c."clientId" = ?',
      [clientId],
    );
    if (!c) return null;
    return {
      id: String(c.id),
      clientId: String(c.clientId),
      name: String(c.name),
      ownerName: str(c.ownerNameCol) ?? str(c.ownerEmail),
      logoUrl: str(c.logoUrl),
      homepageUrl: str(c.homepageUrl),
      verified: bool(c.verified),
      tokenEndpointAuthMethod: c.tokenEndpointAuthMethod as AuthMethod,
      secretHash: str(c.secretHash),
      previousSecretHash: str(c.previousSecretHash),
      previousSecretExpiresAt: sql.dateOrNull(c.previousSecretExpiresAt),
      redirectUris: JSON.parse(String(c.redirectUris)) as string[],
      postLogoutRedirectUris: JSON.parse(String(c.postLogoutRedirectUris)) as string[],
      scopes: parseScope(String(c.scopes)),
      grantTypes: parseScope(String(c.grantTypes)) as GrantType[],
      requirePkce: bool(c.requirePkce),
      signingAlg: c.idTokenSignedResponseAlg as SigningAlg,
      suspended: bool(c.suspended),
      defaultResource: str(c.defaultResource),
      resourceServer: str(c.resourceServer),
    };
  }

  return {
    findByClientId(clientId) {
      return clients.get(clientId, () => loadClient(clientId));
    },
    async recordError(clientId, message, at) {
      await db.client.updateMany({ where: { clientId }, data: { lastError: message, lastErrorAt: at } });
    },
  };
}
