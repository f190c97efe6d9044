// Admin settings on SQLite and PostgreSQL: defaults when unset, a change is stored and audited
// once, an unchanged value writes nothing, and an unknown stored value falls back to the default.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROVIDERS, tempDatabase, type TempDatabase } from "@test/db";
import { DEFAULT_SETTINGS, settingsStore } from "./settings";

describe.each(PROVIDERS)("settings on %s", (provider) => {
  let t: TempDatabase;
  beforeAll(async () => {
    t = await tempDatabase(provider);
  });
  afterAll(async () => {
    await t?.drop();
  });

  it("reads the defaults, stores a change with one audit event, and ignores a no-op", async () => {
    const s = settingsStore(t.db);
    expect(await s.get()).toEqual(DEFAULT_SETTINGS);
    expect(await s.update({ mfaPolicy: "admins", requireEmailVerification: true }, "admin-1")).toEqual({ mfaPolicy: "admins", requireEmailVerification: true });
    expect(await s.get()).toEqual({ mfaPolicy: "admins", requireEmailVerification: true });
    await s.update({ mfaPolicy: "admins" }, "admin-1");
    const events = await t.db.auditEvent.findMany({ where: { type: "settings.changed" } });
    expect(events).toHaveLength(1);
    expect(JSON.parse(events[0]!.data!)).toEqual({ mfaPolicy: "admins", mfaPolicyWas: "off", requireEmailVerification: true, requireEmailVerificationWas: false });
    expect(events[0]!.actorId).toBe("admin-1");
  });

  it("falls back to the default for a value it does not know", async () => {
    await t.db.setting.update({ where: { key: "mfaPolicy" }, data: { value: "sometimes" } });
    expect((await settingsStore(t.db).get()).mfaPolicy).toBe("off");
  });
});
