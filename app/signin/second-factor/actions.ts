"use server";
// The second-factor step of sign-in. Each action reads the pending sign-in from this browser's
// cookie (never from the form), checks the factor, and only then opens the session.
import { headers } from "next/headers";
import { data } from "@/lib/runtime";
import { getConfig } from "@/lib/config";
import { clientIp } from "@/lib/http/client-ip";
import { formOrEmpty } from "@/lib/http/action-args";
import { safeCallbackPath } from "@/lib/auth/safe-redirect";
import { amrWithOtp, verifySecondFactor } from "@/lib/auth/second-factor";
import { signInErrorCode } from "@/lib/auth/password-session";
import { confirmTotpEnrolment, setupFromSealed } from "@/lib/auth/totp-enrolment";
import type { SecondFactorState } from "@/components/mfa/second-factor-form";
import type { TotpSetupState } from "@/components/mfa/totp-setup-form";
import { clearPendingSignIn, readPendingSignIn, writePendingSignIn } from "../pending-cookie";
import { finishSignIn } from "../finish";
import { goOnTo } from "../session";

/** Back to the password, saying why (the pending sign-in is gone: expired or out of attempts). */
async function startAgain(callbackPath: string) {
  await clearPendingSignIn();
  return goOnTo(`/signin?error=expired&callbackUrl=${encodeURIComponent(callbackPath)}`);
}

async function stillAllowed(userId: string): Promise<boolean> {
  const user = await data().users.findById(userId);
  return Boolean(user && !user.disabled);
}

/** A TOTP code or a recovery code (`method`), for a pending sign-in of a user who has a factor. */
export async function verifyCodeAction(_prev: SecondFactorState, form: FormData): Promise<SecondFactorState> {
  form = formOrEmpty(form);
  const pending = await readPendingSignIn();
  if (pending?.step !== "verify") return startAgain("/account");
  // Disabled (or removed) since the password: no second step for them.
  if (!(await stillAllowed(pending.userId))) return startAgain(pending.callbackPath);
  const method = form.get("method") === "recovery" ? "recovery" : "totp";
  const result = await verifySecondFactor(data(), {
    userId: pending.userId,
    method,
    code: form.get("code"),
    amr: pending.amr,
    ip: clientIp(await headers()),
    appSecret: getConfig().secret,
    pending: { id: pending.id, expiresAt: pending.expiresAt },
  });
  if (!result.ok) {
    if (result.error === "expired") return startAgain(pending.callbackPath);
    return { error: "retryAfterSeconds" in result ? signInErrorCode(result) : result.error };
  }
  await finishSignIn(pending.userId, result.amr);
  return goOnTo(safeCallbackPath(pending.callbackPath));
}

/** The MFA policy's enrolment during sign-in: the first code turns TOTP on; the recovery codes follow. */
export async function enrolTotpAction(_prev: TotpSetupState, form: FormData): Promise<TotpSetupState> {
  form = formOrEmpty(form);
  const pending = await readPendingSignIn();
  if (pending?.step !== "enrol" || pending.verified) return { error: "bad_setup" };
  const user = await data().users.findById(pending.userId);
  if (!user || user.disabled) return { error: "bad_setup" };
  const secret = getConfig().secret;
  const result = await confirmTotpEnrolment(
    data(),
    { userId: user.id, sealed: form.get("sealed"), code: form.get("code"), appSecret: secret },
    { actorId: user.id, ip: clientIp(await headers()) },
  );
  if (!result.ok) return { error: result.error, setup: (await setupFromSealed(form.get("sealed"), user, secret)) ?? undefined };
  // The code proved the new factor: the sign-in now only waits for the user to save the codes.
  await writePendingSignIn({ ...pending, amr: amrWithOtp(pending.amr), verified: true });
  return { recoveryCodes: result.recoveryCodes };
}

/** After the enrolment: the session, with the amr the enrolment earned. */
export async function continueAfterEnrolmentAction(_prev: SecondFactorState, _form: FormData): Promise<SecondFactorState> {
  const pending = await readPendingSignIn();
  if (pending?.step !== "enrol" || !pending.verified) return startAgain("/account");
  if (!(await stillAllowed(pending.userId))) return startAgain(pending.callbackPath);
  await finishSignIn(pending.userId, pending.amr);
  return goOnTo(safeCallbackPath(pending.callbackPath));
}
