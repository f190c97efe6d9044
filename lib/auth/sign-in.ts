// Password sign-in: throttle, password check, session creation, audit. The one place the
// portal decides whether a password sign-in succeeds.
//
// Order (OWASP Authentication Cheat Sheet, "Login Throttling"; DESIGN.md "count first"):
//   1. a read-only gate refuses a locked key or one inside its doubling delay, uncounted;
//   2. the attempt is counted, atomically per key, before the password is looked at; a count
//      over the limit is refused without verifying, so parallel guesses cannot outrun the lock;
//   3. the password is verified; a wrong one, an unknown email and a disabled account all get
//      the same answer ("invalid"), so the answer never tells that a password was right;
//   4. success clears the counter; then either a portal session opens (openSession), or, when the
//      user has a second factor or the MFA policy requires one, the caller starts a pending sign-in
//      (app/signin/pending.ts) and the session opens only after the second factor.
//
// Which counters: a browser that carries a valid device cookie for this account (one it got by
// signing in to it before; lib/db/devices.ts) is counted on that device's own counter only; every
// other attempt counts on the account's "untrusted" counter and on the address's. So failures
// from elsewhere can lock the account for strangers, but never for its owner's own browsers
// (OWASP Authentication Cheat Sheet, "Account Lockout", and its "device cookies" proposal for
// slow brute force; Keycloak and Auth0 work the same way).
import type { Stores } from "../db";
import { deviceThrottleKeys, throttleKeys } from "../db/throttle";
import { verifyPassword } from "./password";
import { policyRequiresMfa, secondFactorStep } from "./mfa-policy";
import { AMR } from "../oauth/amr";

export interface SignInInput {
  email: string;
  password: string;
  ip: string | null;
  userAgent: string | null;
  /** The device cookie's token, if the browser sent one (lib/auth/device-cookie.ts readDeviceToken). */
  deviceToken: string | null;
}

export type SignInResult =
  | {
      ok: true;
      userId: string;
      email: string;
      name: string | null;
      sessionId: string;
      /** The device cookie to set (lib/auth/device-cookie.ts deviceCookie): new, or the same one renewed. */
      deviceToken: string;
    }
  | { ok: false; error: "invalid" }
  /** The password was right; no session yet: a second factor must be verified ("verify") or set up ("enrol"). */
  | { ok: false; error: "second_factor"; userId: string; step: "verify" | "enrol" }
  /** The password was right, but an admin requires a verified address first (settings.requireEmailVerification). */
  | { ok: false; error: "unverified"; userId: string }
  | { ok: false; error: "locked" | "wait"; retryAfterSeconds: number };

export async function signInWithPassword(
  s: Pick<Stores, "users" | "sessions" | "throttle" | "audit" | "devices" | "mfa" | "settings">,
  input: SignInInput,
  sessionMaxAgeSeconds: number,
): Promise<SignInResult> {
  const email = input.email.trim().toLowerCase();
  const user = email ? await s.users.findByEmail(email) : null;
  const found = user && input.deviceToken ? await s.devices.find(input.deviceToken) : null;
  const device = found && found.userId === user?.id ? found : null;
  const keys = device ? deviceThrottleKeys(device.id) : throttleKeys(email, input.ip);
  const from = device ? "known" : "new";
  // The read-only gate refuses without counting; only an attempt it lets through is counted.
  const gate = await s.throttle.check(keys);
  const counted = gate.ok ? await s.throttle.count(keys) : gate;
  if (!counted.ok) {
    await s.audit.record({ type: "signin.throttled", subjectId: user?.id ?? null, ip: input.ip, data: { email, reason: counted.reason, device: from } });
    return { ok: false, error: counted.reason, retryAfterSeconds: counted.retryAfterSeconds };
  }
  const valid = await verifyPassword(user?.passwordHash ?? null, input.password);
  if (!user || !valid || user.disabled) {
    if (user?.disabled && valid) {
      // Recorded for the admins; the answer is the same as for a wrong password.
      await s.audit.record({ type: "signin.refused_disabled", subjectId: user.id, ip: input.ip });
    } else {
      await s.audit.record({ type: "signin.failed", subjectId: user?.id ?? null, ip: input.ip, data: { email, device: from } });
    }
    const after = await s.throttle.isLocked(keys);
    if (!after.ok) {
      await s.audit.record({ type: "signin.locked", subjectId: user?.id ?? null, ip: input.ip, data: { email, device: from } });
      return { ok: false, error: "locked", retryAfterSeconds: after.retryAfterSeconds };
    }
    return { ok: false, error: "invalid" };
  }
  await s.throttle.succeeded(keys);
  const settings = await s.settings.get();
  // Only after the right password, so that the refusal tells nothing to whoever does not know it.
  if (!user.emailVerified && settings.requireEmailVerification) {
    await s.audit.record({ type: "signin.unverified", subjectId: user.id, ip: input.ip });
    return { ok: false, error: "unverified", userId: user.id };
  }
  const step = secondFactorStep(await s.mfa.factors(user.id), policyRequiresMfa(settings.mfaPolicy, user));
  if (step !== "none") return { ok: false, error: "second_factor", userId: user.id, step };
  const opened = await openSession(s, { userId: user.id, amr: [AMR.pwd], ip: input.ip, userAgent: input.userAgent, deviceToken: input.deviceToken }, sessionMaxAgeSeconds);
  return { ok: true, userId: user.id, email: user.email, name: user.name, ...opened };
}

/**
 * Opens the portal session of a finished sign-in, whatever its factors (`amr`, RFC 8176): the
 * browser's device cookie renewed when it is this user's trusted device, else a new device
 * trusted; the session row; `signin.succeeded` audited with the methods.
 */
export async function openSession(
  s: Pick<Stores, "sessions" | "audit" | "devices">,
  input: { userId: string; amr: readonly string[]; ip: string | null; userAgent: string | null; deviceToken: string | null },
  sessionMaxAgeSeconds: number,
): Promise<{ sessionId: string; deviceToken: string }> {
  const found = input.deviceToken ? await s.devices.find(input.deviceToken) : null;
  const device = found && found.userId === input.userId ? found : null;
  let deviceToken: string;
  if (device && input.deviceToken) {
    await s.devices.touch(device.id);
    deviceToken = input.deviceToken;
  } else {
    deviceToken = (await s.devices.issue(input.userId)).token;
  }
  const session = await s.sessions.create({
    userId: input.userId,
    maxAgeSeconds: sessionMaxAgeSeconds,
    ip: input.ip,
    userAgent: input.userAgent,
    amr: input.amr,
  });
  await s.audit.record({
    type: "signin.succeeded",
    actorId: input.userId,
    subjectId: input.userId,
    ip: input.ip,
    data: { device: device ? "known" : "new", methods: input.amr.join(" ") },
  });
  return { sessionId: session.id, deviceToken };
}
