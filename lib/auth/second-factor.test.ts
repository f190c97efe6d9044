// Checking a second factor with real stores on both providers: exact results, the counters
// counted before the code is checked (so a right code after the limit is refused and not used
// up), a replayed TOTP code, recovery codes once, and the audit trail.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig, type AppConfig } from "../config";
import { storesFor, type Stores } from "../db";
import { PROVIDERS, tempDatabase, type TempDatabase } from "@test/db";
import { userStore } from "../db/users";
import { amrWithOtp, MAX_CODES_PER_PENDING, verifySecondFactor, type SecondFactorInput } from "./second-factor";
import { newTotpSecret, sealTotpSecret, stepAt, totpCodeAt } from "./totp";
import { newRecoveryCodes, normalizeRecoveryCode, recoveryCodeHash } from "./recovery-codes";

const APP_SECRET = "x".repeat(40);
const env = (vars: Record<string, string>) => ({ NODE_ENV: "test", ...vars }) as NodeJS.ProcessEnv;

describe("amrWithOtp", () => {
  it("adds otp and mfa once, after the first factor", () => {
    expect(amrWithOtp(["pwd"])).toEqual(["pwd", "otp", "mfa"]);
    expect(amrWithOtp(["pwd", "otp", "mfa"])).toEqual(["pwd", "otp", "mfa"]);
    expect(amrWithOtp(["hwk", "user", "mfa"])).toEqual(["hwk", "user", "otp", "mfa"]);
  });
});

describe.each(PROVIDERS)("verifySecondFactor on %s", (provider) => {
  let t: TempDatabase;
  let dir: string;
  let cfg: AppConfig;
  let s: Stores;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "latchkey-mfa-"));
    // Lock after 5, no growing delay before it: each test reads the counters exactly.
    cfg = loadConfig(env({ LATCHKEY_SECRET: APP_SECRET, LOGIN_SLOW_AFTER: "5", LOGIN_LOCK_AFTER: "5", DATA_DIR: dir }));
    t = await tempDatabase(provider);
    s = storesFor(t.db, cfg);
  });
  afterAll(async () => {
    await t?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  let n = 0;
  /** A user with TOTP on (enrolled two steps ago) and ten recovery codes. */
  async function enrolled() {
    const u = await userStore(t.db).create({ email: `sf-${++n}@example.com`, passwordHash: "x" });
    const secret = newTotpSecret();
    const codes = newRecoveryCodes();
    await s.mfa.enableTotp(
      u.id,
      { sealed: sealTotpSecret(secret, APP_SECRET, u.id), step: stepAt(new Date()) - 2, recoveryCodeHashes: codes.map((c) => recoveryCodeHash(normalizeRecoveryCode(c)!)) },
      { actorId: u.id },
    );
    return { id: u.id, secret, codes };
  }
  const input = (userId: string, code: string, extra: Partial<SecondFactorInput> = {}): SecondFactorInput => ({
    userId,
    method: "totp",
    code,
    amr: ["pwd"],
    ip: "203.0.113.7",
    appSecret: APP_SECRET,
    ...extra,
  });
  /** A code that is surely wrong now (not one of the window's three). */
  const wrong = (secret: string) => {
    const now = Date.now();
    const window = [-1, 0, 1].map((d) => totpCodeAt(secret, new Date(now + d * 30_000)));
    return ["000000", "111111", "222222", "333333"].find((c) => !window.includes(c))!;
  };
  const events = async (type: string, subjectId: string) =>
    (await t.db.auditEvent.findMany({ where: { type, subjectId }, orderBy: { id: "asc" } })).map((e) => (e.data ? JSON.parse(e.data) : null));
  const pendingOf = (id: string) => ({ id: `${provider}-${id}`, expiresAt: new Date(Date.now() + 300_000) });

  it("a right code: ok with amr pwd otp mfa, the counter cleared, audited mfa.used; the same code again: refused as replayed", async () => {
    const u = await enrolled();
    expect(await verifySecondFactor(s, input(u.id, wrong(u.secret)))).toStrictEqual({ ok: false, error: "invalid" });
    expect((await t.db.loginThrottle.findUnique({ where: { key: `mfa:${u.id}` } }))?.failures).toBe(1);
    const code = totpCodeAt(u.secret, new Date());
    expect(await verifySecondFactor(s, input(u.id, ` ${code.slice(0, 3)} ${code.slice(3)} `))).toStrictEqual({ ok: true, amr: ["pwd", "otp", "mfa"], method: "totp" });
    expect(await t.db.loginThrottle.findUnique({ where: { key: `mfa:${u.id}` } })).toBeNull();
    expect(await verifySecondFactor(s, input(u.id, code))).toStrictEqual({ ok: false, error: "invalid" });
    expect(await events("mfa.used", u.id)).toEqual([{ method: "totp" }]);
    expect(await events("mfa.failed", u.id)).toEqual([
      { method: "totp", reason: "wrong" },
      { method: "totp", reason: "replayed" },
    ]);
  });

  it(`a pending sign-in takes ${MAX_CODES_PER_PENDING} wrong codes; the next attempt, even with the right code, ends it without using the code`, async () => {
    const u = await enrolled();
    const pending = pendingOf("five");
    for (let i = 0; i < MAX_CODES_PER_PENDING; i++) {
      // A fresh account counter each time, so only the pending state's own limit is in play.
      await t.db.loginThrottle.deleteMany({ where: { key: `mfa:${u.id}` } });
      expect(await verifySecondFactor(s, input(u.id, wrong(u.secret), { pending }))).toStrictEqual({ ok: false, error: "invalid" });
    }
    const right = totpCodeAt(u.secret, new Date());
    expect(await verifySecondFactor(s, input(u.id, right, { pending }))).toStrictEqual({ ok: false, error: "expired" });
    expect(await events("mfa.throttled", u.id)).toEqual([{ method: "totp", reason: "pending_attempts" }]);
    // Not checked, so not used up: a new pending sign-in can use it.
    expect(await verifySecondFactor(s, input(u.id, right, { pending: pendingOf("next") }))).toMatchObject({ ok: true });
  });

  it("the account locks after lockAfter wrong codes across pending sign-ins; then the right code is refused unchecked", async () => {
    const u = await enrolled();
    for (let i = 0; i < 4; i++) expect(await verifySecondFactor(s, input(u.id, wrong(u.secret), { pending: pendingOf(`lock-${i}`) }))).toStrictEqual({ ok: false, error: "invalid" });
    const fifth = await verifySecondFactor(s, input(u.id, wrong(u.secret), { pending: pendingOf("lock-4") }));
    expect(fifth).toMatchObject({ ok: false, error: "locked" });
    const right = totpCodeAt(u.secret, new Date());
    expect(await verifySecondFactor(s, input(u.id, right, { pending: pendingOf("lock-5") }))).toMatchObject({ ok: false, error: "locked" });
    expect(await events("mfa.throttled", u.id)).toEqual([{ method: "totp", reason: "locked" }]);
    expect((await t.db.user.findUniqueOrThrow({ where: { id: u.id } })).totpLastStep).toBe(stepAt(new Date()) - 2);
  });

  it("20 parallel wrong codes: at most lockAfter (5) are checked", async () => {
    const u = await enrolled();
    const results = await Promise.all(Array.from({ length: 20 }, () => verifySecondFactor(s, input(u.id, wrong(u.secret)))));
    expect((await events("mfa.failed", u.id)).length).toBeLessThanOrEqual(5);
    expect(results.filter((r) => !r.ok && r.error === "locked").length).toBeGreaterThanOrEqual(15);
  });

  it("a recovery code, typed any way, works once; audited with the codes left", async () => {
    const u = await enrolled();
    const code = u.codes[4]!;
    const recovery = (c: string) => verifySecondFactor(s, input(u.id, c, { method: "recovery", amr: ["pwd"] }));
    expect(await recovery(code.toUpperCase().replace(/-/g, ""))).toStrictEqual({ ok: true, amr: ["pwd", "otp", "mfa"], method: "recovery" });
    expect(await recovery(code)).toStrictEqual({ ok: false, error: "invalid" });
    expect(await recovery("not a code")).toStrictEqual({ ok: false, error: "invalid" });
    expect(await events("mfa.recovery_code_used", u.id)).toEqual([{ left: 9 }]);
    expect(await events("mfa.failed", u.id)).toEqual([
      { method: "recovery", reason: "wrong" },
      { method: "recovery", reason: "malformed" },
    ]);
  });

  it("a user without TOTP on gets invalid for any code", async () => {
    const u = await userStore(t.db).create({ email: `none-${provider}@example.com`, passwordHash: "x" });
    expect(await verifySecondFactor(s, input(u.id, "123456"))).toStrictEqual({ ok: false, error: "invalid" });
    expect(await events("mfa.failed", u.id)).toEqual([{ method: "totp", reason: "no_totp" }]);
  });
});
