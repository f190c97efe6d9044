// APIs and their credentials against real SQLite and real PostgreSQL: one transaction for the API
// and its client, no partial rows, updates audited by setting name only, rotation, deletion
// (the credentials go with it; a client's default is cleared), and the protocol store's view.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROVIDERS, tempDatabase, testProtocolStores, type TempDatabase } from "@test/db";
import { ApiIdentifierTaken, ApiNotFound, apiStore, UnknownClients } from "./apis";
import { clientStore } from "./clients";
import { userStore } from "./users";
import { ClientNotFound, ConcurrentChange } from "./clients";
import { sha256 } from "../crypto/tokens";
import { makeApiInputSchema, makeApiSettingsSchema } from "../oauth/api-metadata";
import { clientMetadataSchema } from "../oauth/client-metadata";
import type { OAuthStores } from "../oauth/types";

const input = (identifier: string, extra: Record<string, unknown> = {}) =>
  makeApiInputSchema().parse({ name: "Items API", identifier, scopes: [{ name: "read:items", description: "Read your items" }], ...extra });

describe.each(PROVIDERS)("APIs on %s", (provider) => {
  let t: TempDatabase;
  let oauth: OAuthStores;
  let ownerId: string;
  let appId: string;

  beforeAll(async () => {
    t = await tempDatabase(provider);
    oauth = testProtocolStores(t);
    ownerId = (await userStore(t.db).create({ email: "dev@test.dev", passwordHash: "x", role: "developer" })).id;
    appId = (await clientStore(t.db).create(clientMetadataSchema.parse({ client_name: "App", redirect_uris: ["https://app.test/cb"] }), ownerId)).id;
  });
  afterAll(async () => {
    await t?.drop();
  });

  const counts = async () => ({ apis: await t.db.api.count(), clients: await t.db.client.count(), audit: await t.db.auditEvent.count() });

  it("create: the API and its credentials client (hashed secret, no grants) in one go, audited without the secret", async () => {
    const apis = apiStore(t.db);
    const created = await apis.create(input("https://api.test/a", { accessTokenTtl: 120 }), ownerId);
    expect(created.api).toMatchObject({
      name: "Items API",
      identifier: "https://api.test/a",
      scopes: [{ name: "read:items", description: "Read your items" }],
      accessTokenTtl: 120,
      allClients: true,
      allowedClientIds: [],
      ownerId,
      credentials: { clientId: created.client_id, secretPrefix: created.client_secret.slice(0, 10) },
    });
    const row = await t.db.client.findUniqueOrThrow({ where: { clientId: created.client_id } });
    expect(row).toMatchObject({ apiId: created.api.id, secretHash: sha256(created.client_secret), grantTypes: "", scopes: "", redirectUris: "[]", registeredVia: "api", ownerId });
    const event = await t.db.auditEvent.findFirstOrThrow({ where: { type: "api.created", subjectId: created.api.id } });
    expect(JSON.parse(event.data!)).toEqual({ identifier: "https://api.test/a", name: "Items API", scopes: "read:items", client_id: created.client_id });
    // The API's client is not one of the owner's (or an admin's) clients: it belongs to the API.
    expect((await clientStore(t.db).listFor({ id: ownerId, admin: false })).map((c) => c.id)).toEqual([appId]);
    expect((await clientStore(t.db).listFor({ id: ownerId, admin: true })).map((c) => c.id)).toEqual([appId]);
    expect(await oauth.clients.findByClientId(created.client_id)).toMatchObject({ resourceServer: "https://api.test/a", grantTypes: [] });
    // Nor can it be edited, rotated or deleted as a client: it would gain grants, or leave the API without credentials.
    const clients = clientStore(t.db);
    const id = created.api.credentials!.id;
    expect(await clients.findById(id)).toBeNull();
    const meta = clientMetadataSchema.parse({ client_name: "X", redirect_uris: ["https://app.test/cb"], grant_types: ["client_credentials"] });
    await expect(clients.update(id, meta, ownerId)).rejects.toBeInstanceOf(ClientNotFound);
    await expect(clients.rotateSecret(id, 0, ownerId)).rejects.toBeInstanceOf(ClientNotFound);
    await expect(clients.remove(id, ownerId)).rejects.toBeInstanceOf(ClientNotFound);
  });

  it("create refuses a taken identifier and unknown allowed clients, writing nothing", async () => {
    const apis = apiStore(t.db);
    const before = await counts();
    await expect(apis.create(input("https://api.test/a"), ownerId)).rejects.toBeInstanceOf(ApiIdentifierTaken);
    await expect(apis.create(input("https://api.test/b", { allClients: false, allowedClientIds: ["nope"] }), ownerId)).rejects.toBeInstanceOf(UnknownClients);
    expect(await counts()).toEqual(before);
  });

  it("update: the settings change (never the identifier), audited by name; the protocol sees it at once", async () => {
    const apis = apiStore(t.db);
    const { api } = await apis.create(input("https://api.test/c"), ownerId);
    expect(await oauth.apis.findByIdentifier("https://api.test/c")).toMatchObject({ allClients: true });
    const settings = makeApiSettingsSchema().parse({
      name: "Items v2",
      scopes: [{ name: "read:items", description: "Read items" }, { name: "write:items", description: "Change items" }],
      accessTokenTtl: 600,
      allClients: false,
      allowedClientIds: [appId],
    });
    expect(await apis.update(api.id, settings, ownerId)).toEqual(["accessTokenTtl", "allClients", "allowedClientIds", "name", "scopes"]);
    expect(await apis.update(api.id, settings, ownerId)).toEqual([]);
    expect(await oauth.apis.findByIdentifier("https://api.test/c")).toEqual({
      id: api.id,
      identifier: "https://api.test/c",
      name: "Items v2",
      scopes: settings.scopes,
      accessTokenTtl: 600,
      allClients: false,
      allowedClientIds: [appId],
    });
    const event = await t.db.auditEvent.findFirstOrThrow({ where: { type: "api.updated", subjectId: api.id } });
    expect(JSON.parse(event.data!)).toEqual({ fields: "accessTokenTtl allClients allowedClientIds name scopes" });
    await expect(apis.update("missing", settings, ownerId)).rejects.toBeInstanceOf(ApiNotFound);
  });

  it("rotateSecret: a new secret works, the old one stops; two rotations at once: one wins", async () => {
    const apis = apiStore(t.db);
    const created = await apis.create(input("https://api.test/d"), ownerId);
    const secret = await apis.rotateSecret(created.api.id, ownerId);
    const row = await t.db.client.findUniqueOrThrow({ where: { clientId: created.client_id } });
    expect(row.secretHash).toBe(sha256(secret));
    expect(row.previousSecretHash).toBeNull();
    const results = await Promise.allSettled([apis.rotateSecret(created.api.id, ownerId), apis.rotateSecret(created.api.id, ownerId)]);
    expect(results.filter((r) => r.status === "fulfilled").length).toBeGreaterThanOrEqual(1);
    for (const r of results) if (r.status === "rejected") expect(r.reason).toBeInstanceOf(ConcurrentChange);
  });

  it("setDefaultFor and remove: deleting the API deletes its credentials and clears the default", async () => {
    const apis = apiStore(t.db);
    const created = await apis.create(input("https://api.test/e"), ownerId);
    await apis.setDefaultFor(appId, created.api.id, ownerId);
    const app = await t.db.client.findUniqueOrThrow({ where: { id: appId } });
    expect(app.defaultApiId).toBe(created.api.id);
    expect((await oauth.clients.findByClientId(app.clientId))?.defaultResource).toBe("https://api.test/e");
    await expect(apis.setDefaultFor(created.api.credentials!.id, created.api.id, ownerId)).rejects.toBeInstanceOf(UnknownClients);
    await apis.remove(created.api.id, ownerId);
    expect(await t.db.client.findUnique({ where: { clientId: created.client_id } })).toBeNull();
    expect((await t.db.client.findUniqueOrThrow({ where: { id: appId } })).defaultApiId).toBeNull();
    expect((await oauth.clients.findByClientId(app.clientId))?.defaultResource).toBeNull();
    expect(await oauth.apis.findByIdentifier("https://api.test/e")).toBeNull();
    expect(await t.db.auditEvent.count({ where: { type: "api.deleted", subjectId: created.api.id } })).toBe(1);
    await expect(apis.remove(created.api.id, ownerId)).rejects.toBeInstanceOf(ApiNotFound);
  });

  it("listFor: the owner's APIs, or every API for an admin", async () => {
    const apis = apiStore(t.db);
    const other = (await userStore(t.db).create({ email: "other@test.dev", passwordHash: "x", role: "developer" })).id;
    await apis.create(input("https://api.test/other"), other);
    const mine = await apis.listFor({ id: ownerId, admin: false });
    expect(mine.every((a) => a.ownerId === ownerId)).toBe(true);
    expect((await apis.listFor({ id: other, admin: false })).map((a) => a.identifier)).toEqual(["https://api.test/other"]);
    expect((await apis.listFor({ id: other, admin: true })).length).toBe(mine.length + 1);
  });
});
