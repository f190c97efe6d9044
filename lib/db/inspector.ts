// The flow inspector's one write: adding its built-in callback to a client's redirect URIs,
// with the audit event in the same transaction.
import { clientChange } from "./protocol/client-cache";
import type { Db } from "./client";
import { audit } from "./audit";

export type AddCallbackResult = "added" | "already_registered" | "not_found" | "conflict";

/** Appends `uri` to the client's redirect URIs (unless present) and records client.updated. */
export async function addRedirectUri(db: Db, clientRowId: string, uri: string, actorId: string): Promise<AddCallbackResult> {
  return clientChange(db.$transaction(async (tx) => {
    const client = await tx.client.findUnique({ where: { id: clientRowId }, select: { id: true, clientId: true, redirectUris: true } });
    if (!client) return "not_found";
    const uris = JSON.parse(client.redirectUris) as string[];
    if (uris.includes(uri)) return "already_registered";
    // Conditional on the list read above, so a concurrent edit is not overwritten.
    const changed = await tx.client.updateMany({
      where: { id: client.id, redirectUris: client.redirectUris },
      data: { redirectUris: JSON.stringify([...uris, uri]) },
    });
    if (changed.count !== 1) return "conflict";
    await audit(tx, {
      type: "client.updated",
      actorId,
      clientId: client.id,
      data: { client_id: client.clientId, change: "redirect_uri_added", redirect_uri: uri, by: "inspector" },
    });
    return "added";
  }));
}
