// Data layer against real SQLite and real PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROVIDERS, tempDatabase, type TempDatabase } from "@test/db";
import { userStore, EmailTaken } from "./users";
import { sessionStore } from "./sessions";

describe.each(PROVIDERS)("users and sessions on %s", (provider) => {
  let t: TempDatabase;
  beforeAll(async () => {
    t = await tempDatabase(provider);
  });
  afterAll(async () => {
    await t?.drop();
  });

  it("creates a user with a lower-cased email and writes an audit event in the same transaction", async () => {
    const user = await userStore(t.db).create({ email: " Ada@Example.COM ", passwordHash: "h", name: "Ada" });
    expect(user.email).toBe("ada@example.com");
    expect(user.role).toBe("user");
    const events = await t.db.auditEvent.findMany({ where: { subjectId: user.id } });
    expect(events.map((e) => e.type)).toEqual(["user.created"]);
  });

  it("refuses a duplicate email (any case) and leaves no partial rows", async () => {
    const users = userStore(t.db);
    await users.create({ email: "dup@example.com", passwordHash: "h" });
    const before = await t.db.auditEvent.count();
    await expect(users.create({ email: "DUP@example.com", passwordHash: "h" })).rejects.toBeInstanceOf(EmailTaken);
    expect(await t.db.user.count({ where: { email: "dup@example.com" } })).toBe(1);
    expect(await t.db.auditEvent.count()).toBe(before);
  });

  it("disabling a user revokes every session at once", async () => {
    const users = userStore(t.db);
    const sessions = sessionStore(t.db);
    const u = await users.create({ email: "dis@example.com", passwordHash: "h" });
    const s1 = await sessions.create({ userId: u.id, maxAgeSeconds: 3600 });
    const s2 = await sessions.create({ userId: u.id, maxAgeSeconds: 3600 });
    expect(await sessions.findWithUser(s1.id)).not.toBeNull();
    await users.setDisabled(u.id, true);
    expect(await sessions.findWithUser(s1.id)).toBeNull();
    expect(await sessions.findWithUser(s2.id)).toBeNull();
    await users.setDisabled(u.id, false);
    // Re-enabling does not resurrect old sessions.
    expect(await sessions.findWithUser(s1.id)).toBeNull();
  });

  it("disabling a user (CLI) revokes their tokens too, and records the counts", async () => {
    const users = userStore(t.db);
    const u = await users.create({ email: "distok@example.com", passwordHash: "h" });
    const c = await t.db.client.create({
      data: { clientId: "lk_dis", name: "C", tokenEndpointAuthMethod: "none", redirectUris: "[]", scopes: "openid", grantTypes: "authorization_code" },
    });
    const future = new Date(Date.now() + 600_000);
    await t.db.accessToken.create({ data: { jti: "j-dis", clientId: c.id, userId: u.id, scope: "openid", expiresAt: future } });
    await t.db.refreshToken.create({
      data: { tokenHash: "h-dis", grantId: "g", clientId: c.id, userId: u.id, scope: "openid", authTime: new Date(), expiresAt: future, absoluteExpiresAt: future },
    });
    await users.setDisabled(u.id, true);
    expect((await t.db.accessToken.findUniqueOrThrow({ where: { jti: "j-dis" } })).revokedAt).toBeInstanceOf(Date);
    expect((await t.db.refreshToken.findUniqueOrThrow({ where: { tokenHash: "h-dis" } })).revokedAt).toBeInstanceOf(Date);
    const e = await t.db.auditEvent.findFirstOrThrow({ where: { type: "user.disabled", subjectId: u.id } });
    expect(JSON.parse(e.data!)).toMatchObject({ accessTokens: 1, refreshTokens: 1 });
  });

  it("an expired or revoked session is not active", async () => {
    const u = await userStore(t.db).create({ email: "exp@example.com", passwordHash: "h" });
    const sessions = sessionStore(t.db);
    const s = await sessions.create({ userId: u.id, maxAgeSeconds: 60 });
    expect(await sessions.findWithUser(s.id, new Date(Date.now() + 61_000))).toBeNull();
    const s2 = await sessions.create({ userId: u.id, maxAgeSeconds: 60 });
    await sessions.revoke(s2.id);
    expect(await sessions.findWithUser(s2.id)).toBeNull();
    expect(await sessions.findWithUser("no-such-id")).toBeNull();
  });
});
