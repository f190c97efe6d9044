// Password sign-in for the portal's own server actions (sign-in, and sign-in after sign-up):
// the shared sign-in (lib/auth/password-session.ts, also behind next-auth's authorize) plus the
// session cookie in next-auth's format. Kept to this one small function so that whatever else a
// sign-in must set on the browser is added in one place.
import "server-only";
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { after } from "next/server";
import { data, mailLinkDeps } from "@/lib/runtime";
import { requestVerification } from "@/lib/auth/email-verification";
import { logError } from "@/lib/log/logger";
import { getConfig } from "@/lib/config";
import { clientIp } from "@/lib/http/client-ip";
import { passwordSignIn, sessionCookie, type PasswordSignInResult } from "@/lib/auth/password-session";
import { deviceCookie } from "@/lib/auth/device-cookie";
import { startPendingSignIn } from "./pending-cookie";

/**
 * Where to after a sign-in. A plain form post (before hydration, or no JavaScript) gets a 303
 * from redirect(). A post sent by React (it carries the `Next-Action` header) gets the path back
 * instead, and the form makes a full navigation to it: the target may be a route handler, e.g.
 * /oauth/authorize/continue, which Next's client router cannot show after an action's redirect,
 * and every server component must render again with the new session anyway.
 */
export async function goOnTo(path: string): Promise<{ redirectTo: string }> {
  if (await inSignInAction()) return { redirectTo: path };
  redirect(path);
}

/** True while rendering the answer to a server action sent by React (it carries `Next-Action`). */
export async function inSignInAction(): Promise<boolean> {
  return (await headers()).has("next-action");
}

/**
 * Password sign-in from a server action. Success: the session cookies. A second factor due
 * (`error: "second_factor"`): no session, a pending sign-in for `callbackPath` instead; the caller
 * goes on to SECOND_FACTOR_PATH.
 */
export async function signInAndSetCookie(email: unknown, password: unknown, callbackPath: string): Promise<PasswordSignInResult> {
  const h = await headers();
  const cfg = getConfig();
  const result = await passwordSignIn(
    data(),
    { email, password, ip: clientIp(h), userAgent: h.get("user-agent"), cookieHeader: h.get("cookie") },
    cfg.sessionMaxAgeSeconds,
  );
  if (result.ok) await setSignInCookies(result);
  else if (result.error === "second_factor") {
    await startPendingSignIn({ userId: result.userId, amr: ["pwd"], step: result.step, callbackPath });
  }
  return result;
}

/**
 * The cookies of a finished sign-in, whatever its factors: the portal session (next-auth's
 * format) and the device cookie. Every way in (password, second factor, passkey) ends here.
 */
export async function setSignInCookies(signedIn: { userId: string; sessionId: string; deviceToken: string }): Promise<void> {
  const cfg = getConfig();
  // next-auth decides Secure / __Secure- from NEXTAUTH_URL, which defaults to the issuer.
  const c = await sessionCookie(signedIn, {
    secret: cfg.secret,
    maxAgeSeconds: cfg.sessionMaxAgeSeconds,
    baseUrl: process.env.NEXTAUTH_URL ?? cfg.issuer,
  });
  const jar = await cookies();
  jar.set(c.name, c.value, c.options);
  // The device cookie: this browser has now signed in to this account (lib/auth/sign-in.ts).
  const d = deviceCookie(signedIn.deviceToken, cfg.issuer.startsWith("https:"));
  jar.set(d.name, d.value, d.options);
}

/**
 * After a sign-in refused for an unverified address (the password was right): a new verification
 * link, throttled like every emailed link, sent after the answer (lib/auth/email-verification.ts).
 */
export async function sendVerificationAfter(userId: string): Promise<void> {
  const ip = clientIp(await headers());
  const deps = mailLinkDeps();
  after(async () => {
    const user = await deps.users.findById(userId);
    if (user) await requestVerification(deps, user, ip).catch((err) => logError("Verification link failed", err));
  });
}
