// Sign-in with a passkey as the first factor (usernameless: the credential names the user). The
// passkey counterpart of lib/auth/sign-in.ts, in the same order:
//   1. the address's counter is checked, then counted, before the answer is looked at (count
//      first: DESIGN.md; the same `ip:` counter as password attempts, so a passkey cannot be used
//      to guess around the password's throttle);
//   2. the assertion is verified and the use recorded (lib/auth/passkeys.ts: challenge, origin,
//      RP ID, signature, user verification REQUIRED, single-use challenge, signature counter);
//   3. a disabled user gets the same answer as a bad passkey (audited for the admins); an
//      unverified address is refused when the admin requires verified ones (Settings);
//   4. success gives the address its attempt back and opens the session as every sign-in does
//      (openSession: device cookie, session, `signin.succeeded`), with amr `hwk user mfa`
//      (lib/oauth/amr.ts): a user-verifying passkey is a multi-factor cryptographic authenticator,
//      so no second factor follows and it meets any MFA policy.
// A user whom an admin told to reset the password is signed in as with a password; the portal
// then sends them to the password page (lib/auth/session.ts requireUser).
import type { Stores } from "../db";
import type { ThrottleKey } from "../db/throttle";
import { logError } from "../log/logger";
import { AMR } from "../oauth/amr";
import { readDeviceToken } from "./device-cookie";
import { verifyPasskeyUse } from "./passkeys";
import { sessionIdFromCookies } from "./portal-session";
import { openSession, type SignInResult } from "./sign-in";
import type { OpenedChallenge } from "./webauthn-challenge";
import type { RelyingParty } from "./webauthn-rp";

/** The amr of a sign-in with a user-verifying passkey. */
export const PASSKEY_SIGN_IN_AMR = [AMR.hwk, AMR.user, AMR.mfa] as const;

export interface PasskeySignInRequest {
  rp: RelyingParty;
  /** The opened challenge cookie (purpose "authenticate", no user), or null when missing/expired. */
  challenge: OpenedChallenge | null;
  /** The browser's answer (startAuthentication's result), as JSON text. */
  responseJson: unknown;
  ip: string | null;
  userAgent: string | null;
  /** The request's Cookie header: its device cookie and the previous session (ended on success). */
  cookieHeader: string | null;
}

export type PasskeySignInResult = SignInResult | { ok: false; error: "expired" | "unavailable" | "unverified" };

type SignInStores = Pick<Stores, "users" | "sessions" | "throttle" | "audit" | "devices" | "passkeys" | "usedChallenges" | "settings">;

export async function passkeySignIn(s: SignInStores, req: PasskeySignInRequest, sessionMaxAgeSeconds: number): Promise<PasskeySignInResult> {
  try {
    const result = await signInWithPasskey(s, req, sessionMaxAgeSeconds);
    if (result.ok) {
      // Signing in again replaces the browser's previous session (as lib/auth/password-session.ts).
      const previous = await sessionIdFromCookies(req.cookieHeader);
      if (previous && previous !== result.sessionId) await s.sessions.revoke(previous);
    }
    return result;
  } catch (err) {
    logError("Passkey sign-in failed unexpectedly", err);
    return { ok: false, error: "unavailable" };
  }
}

export async function signInWithPasskey(s: SignInStores, req: PasskeySignInRequest, sessionMaxAgeSeconds: number): Promise<PasskeySignInResult> {
  const keys: ThrottleKey[] = req.ip ? [{ key: `ip:${req.ip}`, kind: "ip" }] : [];
  const gate = await s.throttle.check(keys);
  const counted = gate.ok ? await s.throttle.count(keys) : gate;
  if (!counted.ok) {
    await s.audit.record({ type: "signin.throttled", ip: req.ip, data: { method: "passkey", reason: counted.reason } });
    return { ok: false, error: counted.reason, retryAfterSeconds: counted.retryAfterSeconds };
  }
  const use = await verifyPasskeyUse(s, { purpose: "sign_in", rp: req.rp, challenge: req.challenge, responseJson: req.responseJson, requireUserVerification: true, ip: req.ip });
  const user = use.ok ? await s.users.findById(use.passkey.userId) : null;
  if (!use.ok || !user || user.disabled) {
    if (use.ok && user?.disabled) {
      await s.audit.record({ type: "signin.refused_disabled", subjectId: user.id, ip: req.ip, data: { method: "passkey" } });
    } else {
      const reason = use.ok ? "unknown_user" : use.reason;
      await s.audit.record({
        type: "signin.failed",
        subjectId: use.passkey?.userId ?? null,
        ip: req.ip,
        data: { method: "passkey", reason, passkey: use.passkey?.id ?? null },
      });
    }
    const after = await s.throttle.isLocked(keys);
    if (!after.ok) return { ok: false, error: "locked", retryAfterSeconds: after.retryAfterSeconds };
    return { ok: false, error: !use.ok && use.reason === "expired" ? "expired" : "invalid" };
  }
  await s.throttle.succeeded(keys);
  // The admin's "require a verified email to sign in" holds for every way in, as after a password.
  if (!user.emailVerified && (await s.settings.get()).requireEmailVerification) {
    await s.audit.record({ type: "signin.unverified", subjectId: user.id, ip: req.ip, data: { method: "passkey" } });
    return { ok: false, error: "unverified" };
  }
  // Device cookie, session and `signin.succeeded` (methods "hwk user mfa") as every sign-in opens them.
  const opened = await openSession(
    s,
    { userId: user.id, amr: PASSKEY_SIGN_IN_AMR, ip: req.ip, userAgent: req.userAgent, deviceToken: readDeviceToken(req.cookieHeader) },
    sessionMaxAgeSeconds,
  );
  return { ok: true, userId: user.id, email: user.email, name: user.name, ...opened };
}
