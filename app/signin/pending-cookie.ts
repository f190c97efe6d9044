// The pending sign-in's cookie (lib/auth/pending-sign-in.ts): set after a correct password when a
// second factor must follow, read by the second-factor page and its actions, cleared when the
// sign-in finishes. HttpOnly, SameSite=Lax, Path=/signin, `__Secure-` and Secure on https.
import "server-only";
import { cookies, headers } from "next/headers";
import { getConfig } from "@/lib/config";
import {
  newPendingSignIn,
  openPendingSignIn,
  PENDING_COOKIE,
  PENDING_COOKIE_PATH,
  SECURE_PENDING_COOKIE,
  sealPendingSignIn,
  type PendingSignIn,
} from "@/lib/auth/pending-sign-in";

/** The second-factor step of sign-in (TOTP code, recovery code, passkey; or TOTP set-up). */
export const SECOND_FACTOR_PATH = "/signin/second-factor";

const secure = () => getConfig().issuer.startsWith("https:");

/** This browser's pending sign-in, or null (none, expired, tampered with). */
export async function readPendingSignIn(): Promise<PendingSignIn | null> {
  const jar = await cookies();
  const value = jar.get(SECURE_PENDING_COOKIE)?.value || jar.get(PENDING_COOKIE)?.value;
  return openPendingSignIn(value, getConfig().secret);
}

/**
 * The pending sign-in the request came with, even if this request's action has since cleared it
 * (the jar reflects that): for the page rendered in answer to the finishing action, which must
 * keep the same components so that their client-side redirect runs. Never to authorize anything.
 */
export async function pendingSignInAsSent(): Promise<PendingSignIn | null> {
  const header = (await headers()).get("cookie") ?? "";
  for (const part of header.split(";")) {
    const i = part.indexOf("=");
    const name = part.slice(0, i).trim();
    if (i > 0 && (name === PENDING_COOKIE || name === SECURE_PENDING_COOKIE)) return openPendingSignIn(part.slice(i + 1).trim(), getConfig().secret);
  }
  return null;
}

export async function writePendingSignIn(p: PendingSignIn): Promise<void> {
  const s = secure();
  (await cookies()).set(s ? SECURE_PENDING_COOKIE : PENDING_COOKIE, await sealPendingSignIn(p, getConfig().secret), {
    httpOnly: true,
    sameSite: "lax",
    path: PENDING_COOKIE_PATH,
    secure: s,
    maxAge: Math.max(1, Math.ceil((p.expiresAt.getTime() - Date.now()) / 1000)),
  });
}

/** A new pending sign-in for this browser (replacing any other), valid PENDING_SIGN_IN_SECONDS. */
export async function startPendingSignIn(input: { userId: string; amr: string[]; step: "verify" | "enrol"; callbackPath: string }): Promise<void> {
  await writePendingSignIn(newPendingSignIn(input));
}

export async function clearPendingSignIn(): Promise<void> {
  const jar = await cookies();
  for (const name of [PENDING_COOKIE, SECURE_PENDING_COOKIE]) {
    if (jar.has(name)) jar.set(name, "", { httpOnly: true, sameSite: "lax", path: PENDING_COOKIE_PATH, secure: name === SECURE_PENDING_COOKIE, maxAge: 0 });
  }
}
