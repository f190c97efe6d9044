"use server";
// "Use a passkey" as the second factor of a pending sign-in (app/signin/pending-cookie.ts): the
// user comes from the pending state in this browser's cookie, never from the request; only their
// passkeys are offered and accepted. Success: the session with amr "pwd hwk mfa" (finishSignIn).
import { headers } from "next/headers";
import { data } from "@/lib/runtime";
import { clientIp } from "@/lib/http/client-ip";
import { safeCallbackPath } from "@/lib/auth/safe-redirect";
import { verifyPasskeyFactor } from "@/lib/auth/passkey-second-factor";
import { currentRelyingParty, takeChallengeCookie, userPasskeyOptions } from "@/app/_lib/webauthn";
import type { PasskeyOptions, PasskeyResult } from "@/components/auth/passkey-types";
import { readPendingSignIn } from "../pending-cookie";
import { finishSignIn } from "../finish";

export async function secondFactorPasskeyOptionsAction(): Promise<PasskeyOptions> {
  const pending = await readPendingSignIn();
  if (pending?.step !== "verify") return { error: "expired" };
  return userPasskeyOptions(pending.userId);
}

export async function secondFactorPasskeyAction(responseJson: unknown, _callbackUrl: unknown): Promise<PasskeyResult> {
  const pending = await readPendingSignIn();
  const rp = currentRelyingParty();
  if (pending?.step !== "verify" || !rp) return { error: "expired" };
  const result = await verifyPasskeyFactor(data(), {
    purpose: "second_factor",
    rp,
    userId: pending.userId,
    amr: pending.amr,
    challenge: await takeChallengeCookie({ purpose: "authenticate", userId: pending.userId }),
    responseJson,
    ip: clientIp(await headers()),
  });
  if (!result.ok) return { error: result.error };
  await finishSignIn(pending.userId, result.amr);
  return { redirectTo: safeCallbackPath(pending.callbackPath) };
}
