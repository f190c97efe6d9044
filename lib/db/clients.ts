// OAuth clients. Secrets are generated here, returned once, and stored only as SHA-256.
import type { Db } from "./client";
import { audit } from "./audit";
import { randomToken, sha256 } from "../crypto/tokens";
import type { ClientMetadata } from "../oauth/client-metadata";

export interface CreatedClient {
  id: string;
  client_id: string;
  /** Only for confidential clients, and only in this return value: it is not stored. */
  client_secret?: string;
}

export function clientStore(db: Db) {
  return {
    async create(meta: ClientMetadata, ownerId: string | null, actorId: string | null = ownerId): Promise<CreatedClient> {
      const confidential = meta.token_endpoint_auth_method !== "none";
      const clientId = `lk_${randomToken(16)}`;
      const secret = confidential ? `lks_${randomToken(32)}` : undefined;
      const row = await db.$transaction(async (tx) => {
        const c = await tx.client.create({
          data: {
            clientId,
            name: meta.client_name,
            description: meta.description || null,
            homepageUrl: meta.client_uri || null,
            logoUrl: meta.logo_uri || null,
            secretHash: secret ? sha256(secret) : null,
            secretPrefix: secret ? secret.slice(0, 10) : null,
            secretCreatedAt: secret ? new Date() : null,
            tokenEndpointAuthMethod: meta.token_endpoint_auth_method,
            redirectUris: JSON.stringify(meta.redirect_uris),
            postLogoutRedirectUris: JSON.stringify(meta.post_logout_redirect_uris),
            scopes: meta.scope.trim().split(/\s+/).join(" "),
            grantTypes: meta.grant_types.join(" "),
            requirePkce: meta.require_pkce,
            idTokenSignedResponseAlg: meta.id_token_signed_response_alg,
            ownerId,
          },
        });
        await audit(tx, {
          type: "client.created",
          actorId,
          clientId: c.id,
          data: { client_id: clientId, confidential },
        });
        return c;
      });
      return { id: row.id, client_id: clientId, ...(secret ? { client_secret: secret } : {}) };
    },

    findById(id: string) {
      return db.client.findUnique({ where: { id } });
    },

    findByClientId(clientId: string) {
      return db.client.findUnique({ where: { clientId } });
    },
  };
}
