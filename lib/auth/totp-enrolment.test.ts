// TOTP set-up: nothing stored until a first right code; the sealed secret the browser posts back
// is only good for the user it was made for; confirmed: TOTP on with ten new recovery codes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROVIDERS, tempDatabase, type TempDatabase } from "@test/db";
import { mfaStore } from "../db/mfa";
import { userStore } from "../db/users";
import { confirmTotpEnrolment, newTotpSetup, regenerateRecoveryCodes, setupFromSealed } from "./totp-enrolment";
import { openTotpSecret, stepAt, totpCodeAt } from "./totp";
import { normalizeRecoveryCode, recoveryCodeHash } from "./recovery-codes";

const APP_SECRET = "e".repeat(40);

describe.each(PROVIDERS)("TOTP enrolment on %s", (provider) => {
  let t: TempDatabase;
  let s: { mfa: ReturnType<typeof mfaStore> };
  beforeAll(async () => {
    t = await tempDatabase(provider);
    s = { mfa: mfaStore(t.db) };
  });
  afterAll(async () => {
    await t?.drop();
  });
  let n = 0;
  const newUser = () => userStore(t.db).create({ email: `enrol-${++n}@example.com`, passwordHash: "x" });

  it("a set-up shows a QR code (SVG data URL) and the key; nothing is stored yet", async () => {
    const u = await newUser();
    const setup = await newTotpSetup(u, APP_SECRET);
    expect(setup.qrDataUrl).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(Buffer.from(setup.qrDataUrl.split(",")[1]!, "base64").toString()).toContain("<svg");
    expect(setup.manualKey.replace(/ /g, "")).toBe(openTotpSecret(setup.sealed, APP_SECRET, u.id));
    expect((await t.db.user.findUniqueOrThrow({ where: { id: u.id } })).totpSecretEnc).toBeNull();
    expect((await setupFromSealed(setup.sealed, u, APP_SECRET))?.manualKey).toBe(setup.manualKey);
  });

  it("a wrong code stores nothing; another user's sealed secret is refused; the right code turns TOTP on with 10 codes", async () => {
    const u = await newUser();
    const other = await newUser();
    const setup = await newTotpSetup(u, APP_SECRET);
    const secret = setup.manualKey.replace(/ /g, "");
    const now = new Date();
    const code = totpCodeAt(secret, now);
    const wrong = code === "000000" ? "111111" : "000000";
    expect(await confirmTotpEnrolment(s, { userId: u.id, sealed: setup.sealed, code: wrong, appSecret: APP_SECRET, now }, { actorId: u.id })).toStrictEqual({ ok: false, error: "invalid_code" });
    expect(await confirmTotpEnrolment(s, { userId: other.id, sealed: setup.sealed, code, appSecret: APP_SECRET, now }, { actorId: other.id })).toStrictEqual({ ok: false, error: "bad_setup" });
    expect(await setupFromSealed(setup.sealed, other, APP_SECRET)).toBeNull();
    expect((await s.mfa.factors(u.id)).totp).toBe(false);
    const r = await confirmTotpEnrolment(s, { userId: u.id, sealed: setup.sealed, code, appSecret: APP_SECRET, now }, { actorId: u.id });
    if (!r.ok) throw new Error(r.error);
    expect(r.recoveryCodes).toHaveLength(10);
    const row = await t.db.user.findUniqueOrThrow({ where: { id: u.id } });
    expect(row.totpSecretEnc).toBe(setup.sealed);
    // The enrolment's code is used up: its step is the last accepted one.
    expect(row.totpLastStep).toBe(stepAt(now));
    const stored = await t.db.recoveryCode.findMany({ where: { userId: u.id } });
    expect(stored.map((c) => c.codeHash).sort()).toEqual(r.recoveryCodes.map((c) => recoveryCodeHash(normalizeRecoveryCode(c)!)).sort());
    // Already on: a second set-up is refused.
    const again = await newTotpSetup(u, APP_SECRET);
    const code2 = totpCodeAt(again.manualKey.replace(/ /g, ""), now);
    expect(await confirmTotpEnrolment(s, { userId: u.id, sealed: again.sealed, code: code2, appSecret: APP_SECRET, now }, { actorId: u.id })).toStrictEqual({ ok: false, error: "already_enabled" });
  });

  it("regenerating gives ten new codes and voids the old ones", async () => {
    const u = await newUser();
    const first = await regenerateRecoveryCodes(s, u.id, { actorId: u.id });
    const second = await regenerateRecoveryCodes(s, u.id, { actorId: u.id });
    expect(second).toHaveLength(10);
    expect(second.some((c) => first.includes(c))).toBe(false);
    expect(await s.mfa.consumeRecoveryCode(u.id, recoveryCodeHash(normalizeRecoveryCode(first[0])!))).toBe(false);
    expect(await s.mfa.consumeRecoveryCode(u.id, recoveryCodeHash(normalizeRecoveryCode(second[0])!))).toBe(true);
  });
});
