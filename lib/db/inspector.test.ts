// Adding the inspector's callback to a client, on SQLite and PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROVIDERS, tempDatabase, type TempDatabase } from "@test/db";
import { clientStore } from "./clients";
import { userStore } from "./users";
import { addRedirectUri } from "./inspector";
import { clientMetadataSchema } from "../oauth/client-metadata";

const CALLBACK = "https://id.test/dashboard/inspector/callback";

describe.each(PROVIDERS)("inspector callback registration on %s", (provider) => {
  let t: TempDatabase;
  beforeAll(async () => {
    t = await tempDatabase(provider);
  });
  afterAll(async () => {
    await t?.drop();
  });

  it("appends the callback once, with a client.updated audit event in the same transaction", async () => {
    const owner = await userStore(t.db).create({ email: "dev@example.com", passwordHash: "h", role: "developer" });
    const c = await clientStore(t.db).create(clientMetadataSchema.parse({ client_name: "App", redirect_uris: ["https://a.example/cb"] }), owner.id);
    expect(await addRedirectUri(t.db, c.id, CALLBACK, owner.id)).toBe("added");
    const row = await t.db.client.findUniqueOrThrow({ where: { id: c.id } });
    expect(JSON.parse(row.redirectUris)).toEqual(["https://a.example/cb", CALLBACK]);
    const events = await t.db.auditEvent.findMany({ where: { clientId: c.id, type: "client.updated" } });
    expect(events).toHaveLength(1);
    expect(events[0]!.actorId).toBe(owner.id);
    expect(JSON.parse(events[0]!.data!)).toEqual({ client_id: c.client_id, change: "redirect_uri_added", redirect_uri: CALLBACK, by: "inspector" });

    // A second click changes nothing and records nothing.
    expect(await addRedirectUri(t.db, c.id, CALLBACK, owner.id)).toBe("already_registered");
    expect(JSON.parse((await t.db.client.findUniqueOrThrow({ where: { id: c.id } })).redirectUris)).toEqual(["https://a.example/cb", CALLBACK]);
    expect(await t.db.auditEvent.count({ where: { clientId: c.id, type: "client.updated" } })).toBe(1);
  });

  it("an unknown client is not_found and writes nothing", async () => {
    const before = await t.db.auditEvent.count();
    expect(await addRedirectUri(t.db, "00000000-0000-0000-0000-000000000000", CALLBACK, "x")).toBe("not_found");
    expect(await t.db.auditEvent.count()).toBe(before);
  });
});
