// Passkey registration and sign-in with real stores on both providers, answered by a software
// authenticator (test/webauthn-authenticator.ts): exact results, the session's amr, audit events,
// and every refusal (replayed challenge, cloned counter, no user verification, wrong origin or
// RP, another ceremony's cookie, unknown credential, disabled user, throttled address).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig, type AppConfig } from "../config";
import { storesFor, type Stores } from "../db";
import { PROVIDERS, tempDatabase, type TempDatabase } from "@test/db";
import { softAuthenticator, type SoftCredential } from "@test/webauthn-authenticator";
import { userStore } from "../db/users";
import { authenticationOptions, finishRegistration, registrationOptions, userHandleOf, verifyPasskeyUse } from "./passkeys";
import { signInWithPasskey } from "./passkey-sign-in";
import { amrWithPasskey, verifyPasskeyFactor } from "./passkey-second-factor";
import { CHALLENGE_TTL_SECONDS, type OpenedChallenge } from "./webauthn-challenge";
import type { RelyingParty } from "./webauthn-rp";

const RP: RelyingParty = { id: "login.example.com", name: "Latchkey", origin: "https://login.example.com" };
const env = (vars: Record<string, string>) => ({ NODE_ENV: "test", ...vars }) as NodeJS.ProcessEnv;
const opened = (challenge: string, purpose: OpenedChallenge["purpose"] = "authenticate", userId?: string): OpenedChallenge => ({
  challenge,
  purpose,
  userId,
  expiresAt: new Date(Date.now() + CHALLENGE_TTL_SECONDS * 1000),
});

describe.each(PROVIDERS)("passkeys on %s", (provider) => {
  let t: TempDatabase;
  let dir: string;
  let cfg: AppConfig;
  let s: Stores;
  const auth = softAuthenticator({ origin: RP.origin, rpId: RP.id });

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "latchkey-passkey-"));
    cfg = loadConfig(env({ LATCHKEY_SECRET: "x".repeat(40), LOGIN_IP_LOCK_AFTER: "4", DATA_DIR: dir }));
    t = await tempDatabase(provider);
    s = storesFor(t.db, cfg);
  });
  afterAll(async () => {
    await t?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A user with one registered passkey, through the real registration ceremony. */
  async function userWithPasskey(email: string, o: { counter?: number } = {}) {
    const user = await userStore(t.db).create({ email, passwordHash: "h", name: "Ada" });
    const options = await registrationOptions(RP, user, []);
    const { json, credential } = auth.register(options, { counter: o.counter });
    const r = await finishRegistration(s, { rp: RP, userId: user.id, challenge: opened(options.challenge, "register", user.id), responseJson: json, name: "Phone", ip: null });
    expect(r).toEqual({ ok: true, passkeyId: credential.id });
    return { user, credential };
  }

  async function signIn(cred: SoftCredential, o: Parameters<typeof auth.assert>[2] & { ip?: string; challenge?: OpenedChallenge | null } = {}) {
    const options = await authenticationOptions(RP, { userVerification: "required" });
    const challenge = o.challenge === undefined ? opened(options.challenge) : o.challenge;
    const responseJson = auth.assert(cred, options, o);
    const result = await signInWithPasskey(s, { rp: RP, challenge, responseJson, ip: o.ip ?? null, userAgent: "vitest", cookieHeader: null }, 3600);
    return { result, responseJson, challenge };
  }

  const lastEvent = async (type: string) => {
    const e = await t.db.auditEvent.findFirst({ where: { type }, orderBy: { id: "desc" } });
    return e && { subjectId: e.subjectId, data: e.data ? JSON.parse(e.data) : null };
  };

  it("registers a discoverable passkey: options exclude existing ones and ask for a resident key", async () => {
    const { user, credential } = await userWithPasskey("reg@example.com");
    const options = await registrationOptions(RP, user, await s.passkeys.listByUser(user.id));
    expect(options.rp).toEqual({ id: RP.id, name: "Latchkey" });
    expect(options.user.id).toBe(userHandleOf(user.id));
    expect(options.authenticatorSelection).toMatchObject({ residentKey: "required", requireResidentKey: true, userVerification: "preferred" });
    expect(options.excludeCredentials).toEqual([{ id: credential.id, type: "public-key", transports: ["internal", "hybrid"] }]);
    expect(await s.passkeys.find(credential.id)).toMatchObject({ userId: user.id, name: "Phone", deviceType: "multiDevice", backedUp: true, transports: ["internal", "hybrid"] });
    expect(await lastEvent("passkey.registered")).toMatchObject({ subjectId: user.id });
  });

  it("refuses a registration answered for another challenge, origin or RP, and a replayed one", async () => {
    const user = await userStore(t.db).create({ email: "reg2@example.com", passwordHash: "h" });
    const options = await registrationOptions(RP, user, []);
    const finish = (json: string, challenge: OpenedChallenge | null = opened(options.challenge, "register", user.id)) =>
      finishRegistration(s, { rp: RP, userId: user.id, challenge, responseJson: json, name: "x", ip: null });
    expect(await finish(auth.register({ ...options, challenge: "b3RoZXItY2hhbGxlbmdlLW90aGVyLWNoYWxsZW5nZQ" }).json)).toEqual({ ok: false, error: "invalid" });
    expect(await finish(auth.register(options, { origin: "https://evil.example" }).json)).toEqual({ ok: false, error: "invalid" });
    expect(await finish(auth.register(options, { rpId: "evil.example" }).json)).toEqual({ ok: false, error: "invalid" });
    expect(await finish("{not json")).toEqual({ ok: false, error: "invalid" });
    expect(await finish(auth.register(options).json, null)).toEqual({ ok: false, error: "expired" });
    const good = auth.register(options).json;
    expect((await finish(good)).ok).toBe(true);
    expect(await finish(good)).toEqual({ ok: false, error: "expired" });
    expect(await s.passkeys.countByUser(user.id)).toBe(1);
  });

  it("signs in usernameless with a user-verifying passkey: session amr hwk user mfa, use recorded, audited", async () => {
    const { user, credential } = await userWithPasskey("first@example.com");
    const { result } = await signIn(credential, { ip: "203.0.113.20" });
    if (!result.ok) throw new Error(`sign-in failed: ${JSON.stringify(result)}`);
    expect(result).toMatchObject({ userId: user.id, email: "first@example.com", name: "Ada" });
    const session = await t.db.portalSession.findUniqueOrThrow({ where: { id: result.sessionId } });
    expect(session.amr).toBe("hwk user mfa");
    expect(session.userId).toBe(user.id);
    const stored = await s.passkeys.find(credential.id);
    expect(stored!.counter).toBe(1);
    expect(stored!.lastUsedAt).toBeInstanceOf(Date);
    expect(await lastEvent("passkey.used")).toEqual({ subjectId: user.id, data: { passkey: credential.id, purpose: "sign_in", userVerified: true } });
    expect(await lastEvent("signin.succeeded")).toEqual({ subjectId: user.id, data: { methods: "hwk user mfa", device: "new" } });
    expect(await s.devices.find(result.deviceToken)).toMatchObject({ userId: user.id });
  });

  it("refuses the same cookie and assertion sent again (replay), with no second session", async () => {
    const { user, credential } = await userWithPasskey("replay@example.com");
    const first = await signIn(credential, { step: 0 }); // a passkey that keeps no counter: only the challenge stops a replay
    expect(first.result.ok).toBe(true);
    const again = await signInWithPasskey(s, { rp: RP, challenge: first.challenge, responseJson: first.responseJson, ip: null, userAgent: null, cookieHeader: null }, 3600);
    expect(again).toEqual({ ok: false, error: "invalid" });
    expect(await lastEvent("signin.failed")).toEqual({ subjectId: user.id, data: { method: "passkey", reason: "replayed_challenge", passkey: credential.id } });
    expect(await t.db.portalSession.count({ where: { userId: user.id } })).toBe(1);
  });

  it("refuses a counter that did not move forward (a cloned authenticator)", async () => {
    const { user, credential } = await userWithPasskey("clone@example.com", { counter: 10 });
    expect((await signIn(credential)).result.ok).toBe(true); // 11
    credential.counter = 5;
    expect((await signIn(credential)).result).toEqual({ ok: false, error: "invalid" }); // 6 <= 11
    expect(await lastEvent("signin.failed")).toEqual({ subjectId: user.id, data: { method: "passkey", reason: "counter", passkey: credential.id } });
    expect(await lastEvent("passkey.counter_rejected")).toEqual({ subjectId: user.id, data: { passkey: credential.id, stored: 11, received: 6 } });
  });

  it("requires user verification for a first-factor sign-in", async () => {
    const { credential } = await userWithPasskey("nouv@example.com");
    expect((await signIn(credential, { uv: false })).result).toEqual({ ok: false, error: "invalid" });
    expect((await lastEvent("signin.failed"))!.data).toMatchObject({ reason: "verification" });
  });

  it("refuses another origin, another RP ID, a user handle of someone else, and a forged signature", async () => {
    const { credential } = await userWithPasskey("wrong@example.com");
    expect((await signIn(credential, { origin: "https://evil.example" })).result).toEqual({ ok: false, error: "invalid" });
    expect((await signIn(credential, { rpId: "evil.example" })).result).toEqual({ ok: false, error: "invalid" });
    expect((await signIn(credential, { userHandle: userHandleOf("someone-else") })).result).toEqual({ ok: false, error: "invalid" });
    const other = (await userWithPasskey("forger@example.com")).credential;
    expect((await signIn({ ...credential, privateKey: other.privateKey })).result).toEqual({ ok: false, error: "invalid" });
    // Without a user handle (allowed for a non-discoverable use) the rest still decides.
    expect((await signIn(credential, { userHandle: null })).result.ok).toBe(true);
  });

  it("says expired without a valid challenge cookie, and invalid for an unknown credential", async () => {
    const { credential } = await userWithPasskey("exp@example.com");
    expect((await signIn(credential, { challenge: null })).result).toEqual({ ok: false, error: "expired" });
    const stranger: SoftCredential = { ...credential, id: "c3RyYW5nZXI" };
    expect((await signIn(stranger)).result).toEqual({ ok: false, error: "invalid" });
    expect(await lastEvent("signin.failed")).toEqual({ subjectId: null, data: { method: "passkey", reason: "unknown_credential", passkey: null } });
  });

  it("gives a disabled user the same answer as a bad passkey, and audits the refusal", async () => {
    const { user, credential } = await userWithPasskey("off@example.com");
    await userStore(t.db).setDisabled(user.id, true);
    expect((await signIn(credential)).result).toEqual({ ok: false, error: "invalid" });
    expect(await lastEvent("signin.refused_disabled")).toEqual({ subjectId: user.id, data: { method: "passkey" } });
    expect(await t.db.portalSession.count({ where: { userId: user.id } })).toBe(0);
  });

  it("refuses an unverified address while the admin requires verified ones, and signs in once it is verified", async () => {
    const { user, credential } = await userWithPasskey("unverified@example.com");
    await s.settings.update({ requireEmailVerification: true }, "admin");
    try {
      expect((await signIn(credential)).result).toEqual({ ok: false, error: "unverified" });
      expect(await lastEvent("signin.unverified")).toEqual({ subjectId: user.id, data: { method: "passkey" } });
      expect(await t.db.portalSession.count({ where: { userId: user.id } })).toBe(0);
      await t.db.user.update({ where: { id: user.id }, data: { emailVerified: true } });
      expect((await signIn(credential)).result.ok).toBe(true);
    } finally {
      await s.settings.update({ requireEmailVerification: false }, "admin");
    }
  });

  it("counts every attempt from an address before verifying, and locks it after the limit", async () => {
    const { credential } = await userWithPasskey("thr@example.com");
    const ip = "198.51.100.44";
    // LOGIN_IP_LOCK_AFTER=4: three failures and the fourth attempt (the last allowed) fail...
    for (let i = 0; i < 3; i++) expect((await signIn(credential, { ip, uv: false })).result).toEqual({ ok: false, error: "invalid" });
    const fourth = await signIn(credential, { ip, uv: false });
    expect(fourth.result).toMatchObject({ ok: false, error: "locked" });
    // ...then even a good passkey is refused without being checked: its counter stays where it was.
    const before = (await s.passkeys.find(credential.id))!.counter;
    const good = await signIn(credential, { ip });
    expect(good.result).toMatchObject({ ok: false, error: "locked" });
    expect((await s.passkeys.find(credential.id))!.counter).toBe(before);
    expect((await lastEvent("signin.throttled"))!.data).toMatchObject({ method: "passkey", reason: "locked" });
  });

  it("as a second factor: only the given user's passkey, user verification not required", async () => {
    const a = await userWithPasskey("second-a@example.com");
    const b = await userWithPasskey("second-b@example.com");
    const options = await authenticationOptions(RP, { allow: await s.passkeys.listByUser(a.user.id), userVerification: "preferred" });
    expect(options.allowCredentials).toEqual([{ id: a.credential.id, type: "public-key", transports: ["internal", "hybrid"] }]);
    const use = (cred: SoftCredential, uv: boolean) =>
      verifyPasskeyUse(s, { purpose: "second_factor", rp: RP, challenge: opened(options.challenge, "authenticate", a.user.id), responseJson: auth.assert(cred, options, { uv }), userId: a.user.id, requireUserVerification: false, ip: null });
    expect(await use(b.credential, true)).toMatchObject({ ok: false, reason: "not_allowed" });
    const ok = await use(a.credential, false);
    expect(ok).toMatchObject({ ok: true, userVerified: false, passkey: { id: a.credential.id } });
    expect(await lastEvent("passkey.used")).toEqual({ subjectId: a.user.id, data: { passkey: a.credential.id, purpose: "second_factor", userVerified: false } });
  });

  it("as a second factor or step-up: pwd becomes pwd hwk mfa; a failure is audited mfa.failed and grants nothing", async () => {
    const a = await userWithPasskey("factor-a@example.com");
    const b = await userWithPasskey("factor-b@example.com");
    const options = await authenticationOptions(RP, { allow: await s.passkeys.listByUser(a.user.id), userVerification: "preferred" });
    const factor = (cred: SoftCredential, challenge: OpenedChallenge | null = opened(options.challenge, "authenticate", a.user.id)) =>
      verifyPasskeyFactor(s, { purpose: "step_up", rp: RP, userId: a.user.id, amr: ["pwd"], challenge, responseJson: auth.assert(cred, options, { uv: false }), ip: "192.0.2.1" });
    expect(await factor(b.credential)).toEqual({ ok: false, error: "invalid" });
    expect(await lastEvent("mfa.failed")).toEqual({ subjectId: a.user.id, data: { method: "passkey", purpose: "step_up", reason: "not_allowed", passkey: b.credential.id } });
    expect(await factor(a.credential, null)).toEqual({ ok: false, error: "expired" });
    expect(await factor(a.credential)).toEqual({ ok: true, amr: ["pwd", "hwk", "mfa"] });
    expect(await lastEvent("passkey.used")).toEqual({ subjectId: a.user.id, data: { passkey: a.credential.id, purpose: "step_up", userVerified: false } });
  });
});

describe("amrWithPasskey", () => {
  it("adds hwk and mfa once, after what the user already proved", () => {
    expect(amrWithPasskey(["pwd"])).toEqual(["pwd", "hwk", "mfa"]);
    expect(amrWithPasskey(["pwd", "otp", "mfa"])).toEqual(["pwd", "otp", "hwk", "mfa"]);
    expect(amrWithPasskey(["hwk", "user", "mfa"])).toEqual(["user", "hwk", "mfa"]);
  });
});
