"use server";
// Step-up of the signed-in session: a TOTP or recovery code, then the session's amr includes
// `otp mfa` (and its auth_time moves); the authorization endpoint checks acr_values again itself.
import { headers } from "next/headers";
import { data } from "@/lib/runtime";
import { getConfig } from "@/lib/config";
import { requireUser } from "@/lib/auth/session";
import { clientIp } from "@/lib/http/client-ip";
import { formOrEmpty } from "@/lib/http/action-args";
import { safeCallbackPath } from "@/lib/auth/safe-redirect";
import { verifySecondFactor } from "@/lib/auth/second-factor";
import { signInErrorCode } from "@/lib/auth/password-session";
import { parseAmr } from "@/lib/oauth/amr";
import type { SecondFactorState } from "@/components/mfa/second-factor-form";
import { finishStepUp } from "../finish";
import { goOnTo } from "../session";

export async function stepUpCodeAction(_prev: SecondFactorState, form: FormData): Promise<SecondFactorState> {
  form = formOrEmpty(form);
  const callbackPath = safeCallbackPath(form.get("callbackUrl"));
  const session = await requireUser(`/signin/step-up?callbackUrl=${encodeURIComponent(callbackPath)}`);
  const result = await verifySecondFactor(data(), {
    userId: session.userId,
    method: form.get("method") === "recovery" ? "recovery" : "totp",
    code: form.get("code"),
    amr: parseAmr(session.amr),
    ip: clientIp(await headers()),
    appSecret: getConfig().secret,
  });
  if (!result.ok) return { error: "retryAfterSeconds" in result ? signInErrorCode(result) : result.error };
  if (!(await finishStepUp(session, result.amr))) return goOnTo(`/signin?callbackUrl=${encodeURIComponent(callbackPath)}`);
  return goOnTo(callbackPath);
}
