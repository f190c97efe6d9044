"use server";
// Sign-in with a passkey as the first factor (usernameless): options for navigator.credentials
// .get() with the challenge in a cookie, then the browser's answer, checked by lib/auth/passkey-
// sign-in.ts. Success sets the same cookies as a password sign-in and answers where to go (a path
// on this site); a refusal answers a code the passkey button turns into words. These actions are
// called by script only: WebAuthn has no form-post form.
import { headers } from "next/headers";
import { data } from "@/lib/runtime";
import { getConfig } from "@/lib/config";
import { clientIp } from "@/lib/http/client-ip";
import { safeCallbackPath } from "@/lib/auth/safe-redirect";
import { authenticationOptions } from "@/lib/auth/passkeys";
import { passkeySignIn } from "@/lib/auth/passkey-sign-in";
import { currentRelyingParty, setChallengeCookie, takeChallengeCookie } from "@/app/_lib/webauthn";
import type { PasskeyOptions, PasskeyResult } from "@/components/auth/passkey-types";
import { setSignInCookies } from "./session";
import { clearPendingSignIn } from "./pending-cookie";

export async function passkeySignInOptionsAction(): Promise<PasskeyOptions> {
  const rp = currentRelyingParty();
  if (!rp) return { error: "unavailable" };
  // No allowCredentials: the browser offers the passkeys it holds for this site (discoverable).
  const options = await authenticationOptions(rp, { userVerification: "required" });
  await setChallengeCookie({ challenge: options.challenge, purpose: "authenticate" });
  return { options };
}

export async function passkeySignInAction(responseJson: unknown, callbackUrl: unknown): Promise<PasskeyResult> {
  const rp = currentRelyingParty();
  if (!rp) return { error: "unavailable" };
  const h = await headers();
  const challenge = await takeChallengeCookie({ purpose: "authenticate" });
  const result = await passkeySignIn(
    data(),
    { rp, challenge, responseJson, ip: clientIp(h), userAgent: h.get("user-agent"), cookieHeader: h.get("cookie") },
    getConfig().sessionMaxAgeSeconds,
  );
  if (!result.ok) return { error: "retryAfterSeconds" in result ? `${result.error}:${result.retryAfterSeconds}` : result.error };
  await setSignInCookies(result);
  // A password sign-in this browser left half-way (waiting for its second factor) is over too.
  await clearPendingSignIn();
  return { redirectTo: safeCallbackPath(callbackUrl) };
}
