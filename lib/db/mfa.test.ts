// Second factors in the database, on SQLite and PostgreSQL: a TOTP step is accepted once even
// when 20 requests race with one code, a recovery code works once, enrolment replaces the codes,
// turning TOTP off and the admin's reset remove what they say, each audited.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROVIDERS, tempDatabase, type TempDatabase } from "@test/db";
import { mfaStore } from "./mfa";
import { userStore } from "./users";

describe.each(PROVIDERS)("mfa store on %s", (provider) => {
  let t: TempDatabase;
  let mfa: ReturnType<typeof mfaStore>;
  beforeAll(async () => {
    t = await tempDatabase(provider);
    mfa = mfaStore(t.db);
  });
  afterAll(async () => {
    await t?.drop();
  });

  let n = 0;
  const newUser = () => userStore(t.db).create({ email: `mfa-${++n}@example.com`, passwordHash: "x" });
  const hashes = (prefix: string, count = 10) => Array.from({ length: count }, (_, i) => `${prefix}-${i}`);
  const actor = { actorId: "actor-1", ip: "203.0.113.9" };
  const eventsOf = async (type: string, subjectId: string) =>
    (await t.db.auditEvent.findMany({ where: { type, subjectId } })).map((e) => ({ actorId: e.actorId, data: e.data ? JSON.parse(e.data) : null }));

  it("enableTotp stores the sealed secret, the step and ten recovery codes, once; audited", async () => {
    const u = await newUser();
    expect(await mfa.factors(u.id)).toMatchObject({ totp: false, passkeys: 0, recoveryCodesLeft: 0 });
    expect(await mfa.enableTotp(u.id, { sealed: "v1.sealed", step: 100, recoveryCodeHashes: hashes("a") }, actor)).toBe(true);
    // A second tab finishing later does not replace the secret.
    expect(await mfa.enableTotp(u.id, { sealed: "v1.other", step: 101, recoveryCodeHashes: hashes("b") }, actor)).toBe(false);
    const row = await t.db.user.findUniqueOrThrow({ where: { id: u.id } });
    expect(row.totpSecretEnc).toBe("v1.sealed");
    expect(row.totpLastStep).toBe(100);
    expect(await mfa.totpSecret(u.id)).toEqual({ sealed: "v1.sealed", enabled: true });
    expect(await mfa.factors(u.id)).toMatchObject({ totp: true, recoveryCodesLeft: 10 });
    expect(await eventsOf("mfa.totp_enrolled", u.id)).toEqual([{ actorId: "actor-1", data: { recoveryCodes: 10 } }]);
  });

  it("20 parallel uses of one code's step: exactly one accepted; an earlier step after it: refused; a later one: accepted", async () => {
    const u = await newUser();
    await mfa.enableTotp(u.id, { sealed: "v1.s", step: 1000, recoveryCodeHashes: [] }, actor);
    const results = await Promise.all(Array.from({ length: 20 }, () => mfa.acceptTotpStep(u.id, 1001)));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await mfa.acceptTotpStep(u.id, 1001)).toBe(false);
    expect(await mfa.acceptTotpStep(u.id, 1000)).toBe(false);
    expect(await mfa.acceptTotpStep(u.id, 1002)).toBe(true);
    expect((await t.db.user.findUniqueOrThrow({ where: { id: u.id } })).totpLastStep).toBe(1002);
  });

  it("a step is refused for a user without TOTP on", async () => {
    const u = await newUser();
    expect(await mfa.acceptTotpStep(u.id, 5)).toBe(false);
    expect(await mfa.totpSecret(u.id)).toBeNull();
  });

  it("a recovery code works once, even when 20 requests race with it; another user's code does nothing", async () => {
    const u = await newUser();
    const other = await newUser();
    await mfa.enableTotp(u.id, { sealed: "v1.s", step: 1, recoveryCodeHashes: hashes("r") }, actor);
    expect(await mfa.consumeRecoveryCode(other.id, "r-3")).toBe(false);
    const results = await Promise.all(Array.from({ length: 20 }, () => mfa.consumeRecoveryCode(u.id, "r-3")));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await mfa.consumeRecoveryCode(u.id, "r-3")).toBe(false);
    expect(await mfa.consumeRecoveryCode(u.id, "nope")).toBe(false);
    expect((await mfa.factors(u.id)).recoveryCodesLeft).toBe(9);
  });

  it("new recovery codes void all the old ones; audited", async () => {
    const u = await newUser();
    await mfa.enableTotp(u.id, { sealed: "v1.s", step: 1, recoveryCodeHashes: hashes("old") }, actor);
    await mfa.consumeRecoveryCode(u.id, "old-0");
    await mfa.replaceRecoveryCodes(u.id, hashes("new"), actor);
    expect(await mfa.consumeRecoveryCode(u.id, "old-1")).toBe(false);
    expect((await mfa.factors(u.id)).recoveryCodesLeft).toBe(10);
    expect(await mfa.consumeRecoveryCode(u.id, "new-1")).toBe(true);
    expect(await eventsOf("mfa.recovery_codes_generated", u.id)).toEqual([{ actorId: "actor-1", data: { count: 10 } }]);
  });

  it("turning TOTP off clears it and the recovery codes (no passkey left); audited", async () => {
    const u = await newUser();
    await mfa.enableTotp(u.id, { sealed: "v1.s", step: 7, recoveryCodeHashes: hashes("d") }, actor);
    expect(await mfa.disableTotp(u.id, actor)).toBe(true);
    expect(await mfa.disableTotp(u.id, actor)).toBe(false);
    const row = await t.db.user.findUniqueOrThrow({ where: { id: u.id } });
    expect([row.totpSecretEnc, row.totpEnabledAt, row.totpLastStep]).toEqual([null, null, null]);
    expect(await mfa.factors(u.id)).toMatchObject({ totp: false, recoveryCodesLeft: 0 });
    expect(await eventsOf("mfa.totp_removed", u.id)).toHaveLength(1);
  });

  it("turning TOTP off keeps the recovery codes while a passkey remains", async () => {
    const u = await newUser();
    await mfa.enableTotp(u.id, { sealed: "v1.s", step: 7, recoveryCodeHashes: hashes("k") }, actor);
    await t.db.passkey.create({ data: { id: `cred-${u.id}`, userId: u.id, name: "Key", publicKey: "pk", deviceType: "singleDevice" } });
    await mfa.disableTotp(u.id, actor);
    expect(await mfa.factors(u.id)).toMatchObject({ totp: false, passkeys: 1, recoveryCodesLeft: 10 });
  });

  it("the admin's reset removes TOTP, recovery codes and passkeys, keeps sessions; audited with counts", async () => {
    const u = await newUser();
    await mfa.enableTotp(u.id, { sealed: "v1.s", step: 7, recoveryCodeHashes: hashes("z") }, actor);
    await t.db.passkey.create({ data: { id: `cred-r-${u.id}`, userId: u.id, name: "Key", publicKey: "pk", deviceType: "singleDevice" } });
    await t.db.portalSession.create({ data: { id: `s-${u.id}`, publicSid: `p-${u.id}`, userId: u.id, authTime: new Date(), expiresAt: new Date(Date.now() + 60_000) } });
    expect(await mfa.resetAll(u.id, actor)).toEqual({ totp: true, recoveryCodes: 10, passkeys: 1 });
    expect(await mfa.factors(u.id)).toMatchObject({ totp: false, passkeys: 0, recoveryCodesLeft: 0 });
    expect(await t.db.portalSession.count({ where: { userId: u.id, revokedAt: null } })).toBe(1);
    expect(await eventsOf("mfa.reset_by_admin", u.id)).toEqual([{ actorId: "actor-1", data: { totp: true, recoveryCodes: 10, passkeys: 1 } }]);
    expect(await mfa.resetAll(u.id, actor)).toEqual({ totp: false, recoveryCodes: 0, passkeys: 0 });
  });

  it("counts a pending sign-in's attempts atomically: 12 parallel attempts get the numbers 1 to 12", async () => {
    const expires = new Date(Date.now() + 300_000);
    const numbers = await Promise.all(Array.from({ length: 12 }, () => mfa.countPendingAttempt(`pending-${provider}`, expires)));
    expect([...numbers].sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect((await t.db.loginThrottle.findUniqueOrThrow({ where: { key: `mfa-pending:pending-${provider}` } })).lockedUntil).toEqual(expires);
  });
});
