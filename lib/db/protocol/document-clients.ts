// The client rows of Client ID Metadata Documents (DocumentClientStore, lib/oauth/types.ts): one
// Client row per Client Identifier URL (clientId = the URL, registeredVia "metadata_document", no
// owner, no secret), so that consents, codes, tokens, revocation and the admin console work for
// them as for any client. Written on Prisma: only when a document was fetched and differs from
// the row, a few times a day per client at most.
import type { Db } from "../client";
import { audit } from "../audit";
import { changedFields, clientColumnsOf, clientMetadataOf, losesVerification } from "../clients";
import { isUniqueViolation } from "../errors";
import { clientChange } from "./client-cache";
import type { DocumentClientStore, OAuthStores } from "../../oauth/types";

export const METADATA_DOCUMENT = "metadata_document";

export function documentClientStore(db: Db, clients: Pick<OAuthStores["clients"], "findByClientId">): DocumentClientStore {
  async function saveOnce(clientId: string, metadata: Parameters<DocumentClientStore["save"]>[1], now: Date): Promise<boolean> {
    const row = await db.client.findUnique({ where: { clientId } });
    if (row && row.registeredVia !== METADATA_DOCUMENT) return false;
    if (!row) {
      await clientChange(
        db.$transaction(async (tx) => {
          const c = await tx.client.create({
            data: { clientId, ...clientColumnsOf(metadata), registeredVia: METADATA_DOCUMENT, createdAt: now, updatedAt: now },
          });
          await audit(tx, { type: "client.registered", clientId: c.id, data: { client_id: clientId, confidential: false, via: METADATA_DOCUMENT } });
        }),
      );
      return true;
    }
    const changed = changedFields(clientMetadataOf(row), metadata);
    if (changed.length === 0) return true;
    await clientChange(
      db.$transaction(async (tx) => {
        // The document changed what users see: an admin verified the client as it was.
        const unverify = row.verified && losesVerification(changed);
        // Suspension, ownership and the row's identity stay as they are.
        await tx.client.update({
          where: { id: row.id },
          data: { ...clientColumnsOf(metadata), ...(unverify ? { verified: false } : {}), updatedAt: now },
        });
        await audit(tx, { type: "client.updated", clientId: row.id, data: { client_id: clientId, via: METADATA_DOCUMENT, fields: changed.join(" ") } });
      }),
    );
    return true;
  }

  return {
    async save(clientId, metadata, now) {
      let saved: boolean;
      try {
        saved = await saveOnce(clientId, metadata, now);
      } catch (err) {
        // Another request created the row first: update it instead.
        if (!isUniqueViolation(err)) throw err;
        saved = await saveOnce(clientId, metadata, now);
      }
      return saved ? clients.findByClientId(clientId) : null;
    },
  };
}
