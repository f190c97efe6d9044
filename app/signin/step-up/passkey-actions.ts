"use server";
// "Use a passkey" to step the signed-in session up (meets every acr, `phr` included): only the
// session user's passkeys; success adds `hwk mfa` to the session's amr (finishStepUp) and goes
// back to the callback, where the authorization endpoint checks acr_values again itself.
import { headers } from "next/headers";
import { data } from "@/lib/runtime";
import { requireUser } from "@/lib/auth/session";
import { clientIp } from "@/lib/http/client-ip";
import { safeCallbackPath } from "@/lib/auth/safe-redirect";
import { verifyPasskeyFactor } from "@/lib/auth/passkey-second-factor";
import { parseAmr } from "@/lib/oauth/amr";
import { currentRelyingParty, takeChallengeCookie, userPasskeyOptions } from "@/app/_lib/webauthn";
import type { PasskeyOptions, PasskeyResult } from "@/components/auth/passkey-types";
import { finishStepUp } from "../finish";

export async function stepUpPasskeyOptionsAction(): Promise<PasskeyOptions> {
  const session = await requireUser("/signin/step-up");
  return userPasskeyOptions(session.userId);
}

export async function stepUpPasskeyAction(responseJson: unknown, callbackUrl: unknown): Promise<PasskeyResult> {
  const callbackPath = safeCallbackPath(callbackUrl);
  const session = await requireUser(`/signin/step-up?callbackUrl=${encodeURIComponent(callbackPath)}`);
  const rp = currentRelyingParty();
  if (!rp) return { error: "unavailable" };
  const result = await verifyPasskeyFactor(data(), {
    purpose: "step_up",
    rp,
    userId: session.userId,
    amr: parseAmr(session.amr),
    challenge: await takeChallengeCookie({ purpose: "authenticate", userId: session.userId }),
    responseJson,
    ip: clientIp(await headers()),
  });
  if (!result.ok) return { error: result.error };
  if (!(await finishStepUp(session, result.amr))) return { redirectTo: `/signin?callbackUrl=${encodeURIComponent(callbackPath)}` };
  return { redirectTo: callbackPath };
}
