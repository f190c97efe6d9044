// Deleting one's own account through its confirmation rules, on SQLite and PostgreSQL (real
// argon2): no deletion without confirmed=yes, nor without the right password; wrong passwords
// are counted first and throttled (then even the right one is refused); the last admin is
// refused with a clear message. The proof is pluggable (a DeletionCheck).
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { randomUUID } from "node:crypto";
import { PROVIDERS, tempDatabase, type TempDatabase } from "@test/db";
import { accountDeletionStore } from "../db/account-deletion";
import { auditStore } from "../db/audit";
import { throttleStore } from "../db/throttle";
import { userStore } from "../db/users";
import type { ThrottleConfig } from "../config";
import { hashPassword } from "./password";
import { deleteOwnAccount, NOT_CONFIRMED, PASSKEY_PROOF_EXPIRED, PASSKEY_PROOF_SECONDS, passkeyOrPasswordCheck, passwordCheck, recentPasskey, type DeletionCheck } from "./account-deletion";

const PASSWORD = "correct horse battery";
// No delay before the lock: 3 failures lock for 10 minutes.
const THROTTLE: ThrottleConfig = { slowAfter: 100, backoffSeconds: 1, lockAfter: 3, ipLockAfter: 1000, lockSeconds: 600, windowSeconds: 900 };

const form = (fields: Record<string, string>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.append(k, v);
  return f;
};

describe.each(PROVIDERS)("deleteOwnAccount on %s", (provider) => {
  let t: TempDatabase;
  let hash: string;
  beforeAll(async () => {
    t = await tempDatabase(provider);
    hash = await hashPassword(PASSWORD);
  });
  afterAll(async () => {
    await t?.drop();
  });

  const stores = () => ({ users: userStore(t.db), throttle: throttleStore(t.db, THROTTLE), audit: auditStore(t.db), accountDeletion: accountDeletionStore(t.db) });
  const newUser = (role: "user" | "admin" = "user") => userStore(t.db).create({ email: `del-${randomUUID()}@test.dev`, passwordHash: hash, role });
  const exists = async (id: string) => (await t.db.user.count({ where: { id } })) === 1;
  const types = async (id: string) => (await t.db.auditEvent.findMany({ where: { subjectId: id }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] })).map((e) => e.type);

  it("deletes with confirmed=yes and the right password", async () => {
    const u = await newUser();
    const d = stores();
    const r = await deleteOwnAccount(d, { userId: u.id, ip: "192.0.2.1" }, form({ confirmed: "yes", password: PASSWORD }), passwordCheck(d));
    expect(r.ok).toBe(true);
    expect(await exists(u.id)).toBe(false);
    expect(await types(u.id)).toEqual(["user.created", "account.deleted"]);
  });

  it("does nothing, and asks nothing, without confirmed=yes: Cancel backs out, a missing answer is refused", async () => {
    const u = await newUser();
    const d = stores();
    const check = vi.fn<DeletionCheck>(async () => ({ ok: true }));
    expect(await deleteOwnAccount(d, { userId: u.id, ip: null }, form({ confirmed: "no", password: PASSWORD }), check)).toEqual({ ok: false, cancelled: true });
    expect(await deleteOwnAccount(d, { userId: u.id, ip: null }, form({ password: PASSWORD }), check)).toEqual({ ok: false, formError: NOT_CONFIRMED });
    expect(await deleteOwnAccount(d, { userId: u.id, ip: null }, form({ confirmed: "YES", password: PASSWORD }), check)).toEqual({ ok: false, formError: NOT_CONFIRMED });
    expect(check).not.toHaveBeenCalled();
    expect(await exists(u.id)).toBe(true);
  });

  it("refuses a missing or wrong password with a field error, audited; the account stays", async () => {
    const u = await newUser();
    const d = stores();
    expect(await deleteOwnAccount(d, { userId: u.id, ip: null }, form({ confirmed: "yes" }), passwordCheck(d))).toEqual({
      ok: false,
      fieldErrors: { password: "Enter your password." },
      formError: undefined,
    });
    expect(await deleteOwnAccount(d, { userId: u.id, ip: "192.0.2.7" }, form({ confirmed: "yes", password: "not it" }), passwordCheck(d))).toEqual({
      ok: false,
      fieldErrors: { password: "That is not your current password." },
      formError: undefined,
    });
    expect(await exists(u.id)).toBe(true);
    expect(await types(u.id)).toEqual(["user.created", "user.reauth_failed"]);
  });

  it("throttles wrong passwords (counted before the check): after the lock even the right one is refused", async () => {
    const u = await newUser();
    const d = stores();
    for (let i = 0; i < THROTTLE.lockAfter; i++) {
      const r = await deleteOwnAccount(d, { userId: u.id, ip: null }, form({ confirmed: "yes", password: `guess ${i}` }), passwordCheck(d));
      expect(r).toMatchObject({ ok: false, fieldErrors: { password: "That is not your current password." } });
    }
    const r = await deleteOwnAccount(d, { userId: u.id, ip: null }, form({ confirmed: "yes", password: PASSWORD }), passwordCheck(d));
    expect(r).toEqual({ ok: false, fieldErrors: undefined, formError: "Too many wrong passwords. Try again in 10 minutes." });
    expect(await exists(u.id)).toBe(true);
    expect((await types(u.id)).at(-1)).toBe("user.reauth_throttled");
    // The counter is the one the password page uses, too: one budget for every re-check.
    expect(await t.db.loginThrottle.findUnique({ where: { key: `password-change:${u.id}` } })).toMatchObject({ failures: THROTTLE.lockAfter });
  });

  it("a parallel burst of guesses cannot outrun the lock", async () => {
    const u = await newUser();
    const d = stores();
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => deleteOwnAccount(d, { userId: u.id, ip: null }, form({ confirmed: "yes", password: `burst ${i}` }), passwordCheck(d))),
    );
    // Only the first lockAfter guesses reached the password check; the others were refused uncounted.
    const checked = results.filter((r) => !r.ok && "fieldErrors" in r && r.fieldErrors?.password);
    expect(checked.length).toBeLessThanOrEqual(THROTTLE.lockAfter);
    expect(results.filter((r) => !r.ok && "formError" in r && r.formError?.startsWith("Too many wrong passwords")).length).toBeGreaterThanOrEqual(8 - THROTTLE.lockAfter);
    expect(await exists(u.id)).toBe(true);
  });

  it("refuses the last admin with a clear message, after the password check", async () => {
    await t.db.user.updateMany({ where: { role: "admin" }, data: { role: "user" } });
    const admin = await newUser("admin");
    const d = stores();
    const r = await deleteOwnAccount(d, { userId: admin.id, ip: null }, form({ confirmed: "yes", password: PASSWORD }), passwordCheck(d));
    expect(r).toEqual({ ok: false, formError: "You are the only admin. Make someone else an admin before you delete your account." });
    expect(await exists(admin.id)).toBe(true);
  });

  it("takes another proof in place of the password (a passkey, later)", async () => {
    const u = await newUser();
    const d = stores();
    const refuse: DeletionCheck = async () => ({ ok: false, formError: "Your passkey was not accepted." });
    expect(await deleteOwnAccount(d, { userId: u.id, ip: null }, form({ confirmed: "yes" }), refuse)).toEqual({ ok: false, fieldErrors: undefined, formError: "Your passkey was not accepted." });
    const accept: DeletionCheck = async (caller) => ({ ok: caller.userId === u.id });
    expect((await deleteOwnAccount(d, { userId: u.id, ip: null }, form({ confirmed: "yes" }), accept)).ok).toBe(true);
    expect(await exists(u.id)).toBe(false);
  });

  it("takes a passkey used on the session moments ago instead of the password; a stale or password-only session must give the password", async () => {
    const now = new Date("2026-12-06T12:00:00Z");
    const ago = (s: number) => new Date(now.getTime() - s * 1000);
    const passkeyNow = { amr: ["pwd", "hwk", "mfa"], authTime: ago(10) };
    // A passkey session: deleted without a password.
    const u1 = await newUser();
    const r1 = await deleteOwnAccount(stores(), { userId: u1.id, ip: null }, form({ confirmed: "yes", proof: "passkey" }), passkeyOrPasswordCheck(stores(), passkeyNow, now));
    expect(r1.ok).toBe(true);
    expect(await exists(u1.id)).toBe(false);
    // Too old, or no passkey in the session's amr (the form's word is not enough): refused, kept.
    const u2 = await newUser();
    for (const session of [{ amr: ["pwd", "hwk", "mfa"], authTime: ago(PASSKEY_PROOF_SECONDS + 1) }, { amr: ["pwd", "otp", "mfa"], authTime: ago(10) }]) {
      const r = await deleteOwnAccount(stores(), { userId: u2.id, ip: null }, form({ confirmed: "yes", proof: "passkey" }), passkeyOrPasswordCheck(stores(), session, now));
      expect(r).toEqual({ ok: false, fieldErrors: undefined, formError: PASSKEY_PROOF_EXPIRED });
    }
    expect(await exists(u2.id)).toBe(true);
    // Without proof=passkey it is the password check, even on a passkey session.
    const r3 = await deleteOwnAccount(stores(), { userId: u2.id, ip: null }, form({ confirmed: "yes" }), passkeyOrPasswordCheck(stores(), passkeyNow, now));
    expect(r3).toEqual({ ok: false, fieldErrors: { password: "Enter your password." }, formError: undefined });
    expect(await exists(u2.id)).toBe(true);
  });
});

describe("recentPasskey", () => {
  const now = new Date("2026-12-06T12:00:00Z");
  it("is true only with hwk in the amr and an auth_time within the window (not in the future)", () => {
    const at = (s: number) => new Date(now.getTime() - s * 1000);
    expect(recentPasskey({ amr: ["hwk", "user", "mfa"], authTime: at(0) }, now)).toBe(true);
    expect(recentPasskey({ amr: ["pwd", "hwk", "mfa"], authTime: at(PASSKEY_PROOF_SECONDS) }, now)).toBe(true);
    expect(recentPasskey({ amr: ["pwd", "hwk", "mfa"], authTime: at(PASSKEY_PROOF_SECONDS + 1) }, now)).toBe(false);
    expect(recentPasskey({ amr: ["pwd"], authTime: at(0) }, now)).toBe(false);
    expect(recentPasskey({ amr: ["hwk"], authTime: at(-60) }, now)).toBe(false);
  });
});
