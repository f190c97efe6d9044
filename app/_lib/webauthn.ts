// The WebAuthn challenge cookie on this request (lib/auth/webauthn-challenge.ts) and the relying
// party from the configuration: what every passkey action (account, sign-in, second factor,
// step-up) needs from Next, in one place.
import "server-only";
import { cookies } from "next/headers";
import { getConfig } from "@/lib/config";
import { CHALLENGE_COOKIE, challengeCookieOptions, openChallenge, sealChallenge, type Ceremony, type OpenedChallenge } from "@/lib/auth/webauthn-challenge";
import { relyingParty, type RelyingParty } from "@/lib/auth/webauthn-rp";
import { authenticationOptions } from "@/lib/auth/passkeys";
import { data } from "@/lib/runtime";
import type { PasskeyOptions } from "@/components/auth/passkey-types";

/** The relying party of this issuer, or null when passkeys cannot work here (an IP issuer). */
export function currentRelyingParty(): RelyingParty | null {
  return relyingParty(getConfig().issuer);
}

/** Puts a new ceremony's challenge in the cookie (replacing any earlier one). */
export async function setChallengeCookie(c: { challenge: string; purpose: Ceremony; userId?: string }): Promise<void> {
  const cfg = getConfig();
  const jar = await cookies();
  jar.set(CHALLENGE_COOKIE, await sealChallenge(c, cfg.secret), challengeCookieOptions(cfg.issuer.startsWith("https:")));
}

/** The ceremony's challenge from the cookie, which is cleared: each is answered once. */
export async function takeChallengeCookie(expect: { purpose: Ceremony; userId?: string }): Promise<OpenedChallenge | null> {
  const jar = await cookies();
  const value = jar.get(CHALLENGE_COOKIE)?.value;
  if (value !== undefined) jar.delete(CHALLENGE_COOKIE);
  return openChallenge(value, getConfig().secret, expect);
}

/**
 * Options to use one of `userId`'s passkeys (second factor, step-up): allowCredentials = theirs,
 * user verification preferred, the challenge in the cookie bound to that user.
 */
export async function userPasskeyOptions(userId: string): Promise<PasskeyOptions> {
  const rp = currentRelyingParty();
  if (!rp) return { error: "unavailable" };
  const allow = await data().passkeys.listByUser(userId);
  if (allow.length === 0) return { error: "invalid" };
  const options = await authenticationOptions(rp, { allow, userVerification: "preferred" });
  await setChallengeCookie({ challenge: options.challenge, purpose: "authenticate", userId });
  return { options };
}
