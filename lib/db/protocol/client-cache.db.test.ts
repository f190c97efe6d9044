// The protocol stores cache client records (client-cache.ts); every change made through lib/db must
// still take effect on the very next request. Real SQLite and PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROVIDERS, tempDatabase, testProtocolStores, type TempDatabase } from "@test/db";
import { clientStore } from "../clients";
import { userStore } from "../users";
import { registrationStore } from "../registration";
import { addRedirectUri } from "../inspector";
import { deleteClient, setClientSuspended } from "../admin/clients";
import { sha256 } from "../../crypto/tokens";
import { clientMetadataSchema } from "../../oauth/client-metadata";
import type { OAuthStores } from "../../oauth/types";

const meta = (name: string) =>
  clientMetadataSchema.parse({ client_name: name, redirect_uris: ["https://app.test/cb"], grant_types: ["authorization_code", "client_credentials"], scope: "openid" });

describe.each(PROVIDERS)("protocol client cache on %s: changes take effect at once", (provider) => {
  let t: TempDatabase;
  let stores: OAuthStores;
  let ownerId: string;

  beforeAll(async () => {
    t = await tempDatabase(provider);
    stores = testProtocolStores(t);
    ownerId = (await userStore(t.db).create({ email: "owner@test.dev", passwordHash: "x" })).id;
  });
  afterAll(() => t.drop());

  /** A client already in the cache (read once), so a stale read would show. */
  async function cachedClient(name: string) {
    const c = await clientStore(t.db).create(meta(name), ownerId);
    expect((await stores.clients.findByClientId(c.client_id))?.suspended).toBe(false);
    return c;
  }

  it("admin suspend and resume", async () => {
    const c = await cachedClient("Suspend");
    await setClientSuspended(t.db, { id: ownerId }, c.id, true);
    expect((await stores.clients.findByClientId(c.client_id))?.suspended).toBe(true);
    await setClientSuspended(t.db, { id: ownerId }, c.id, false);
    expect((await stores.clients.findByClientId(c.client_id))?.suspended).toBe(false);
  });

  it("admin delete", async () => {
    const c = await cachedClient("AdminDelete");
    await deleteClient(t.db, { id: ownerId }, c.id, "AdminDelete");
    expect(await stores.clients.findByClientId(c.client_id)).toBeNull();
  });

  it("dashboard: secret rotation without grace, metadata update, delete", async () => {
    const c = await cachedClient("Dash");
    const fresh = await clientStore(t.db).rotateSecret(c.id, 0, ownerId);
    const after = await stores.clients.findByClientId(c.client_id);
    expect(after?.secretHash).toBe(sha256(fresh));
    expect(after?.previousSecretHash).toBeNull();

    await clientStore(t.db).update(c.id, { ...meta("Dash"), redirect_uris: ["https://app.test/new"] }, ownerId);
    expect((await stores.clients.findByClientId(c.client_id))?.redirectUris).toEqual(["https://app.test/new"]);

    await clientStore(t.db).remove(c.id, ownerId);
    expect(await stores.clients.findByClientId(c.client_id)).toBeNull();
  });

  it("the inspector's callback", async () => {
    const c = await cachedClient("Inspector");
    expect(await addRedirectUri(t.db, c.id, "https://id.test/dashboard/inspector/callback", ownerId)).toBe("added");
    expect((await stores.clients.findByClientId(c.client_id))?.redirectUris).toContain("https://id.test/dashboard/inspector/callback");
  });

  it("RFC 7592 update and delete", async () => {
    const reg = registrationStore(t.db);
    const created = await reg.register(meta("Registered"), null);
    const clientId = created.client.clientId;
    expect(await stores.clients.findByClientId(clientId)).not.toBeNull();
    const row = await reg.findByRegistrationToken(clientId, created.registrationAccessToken);
    const updated = await reg.update(row!, { ...meta("Registered"), redirect_uris: ["https://app.test/other"] });
    expect((await stores.clients.findByClientId(clientId))?.redirectUris).toEqual(["https://app.test/other"]);
    const row2 = await reg.findByRegistrationToken(clientId, updated!.registrationAccessToken);
    expect(await reg.delete(row2!)).toBe(true);
    expect(await stores.clients.findByClientId(clientId)).toBeNull();
  });
});
