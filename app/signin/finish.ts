// The end of every sign-in that took more than a password (second factor, policy enrolment,
// passkey): the portal session with its amr, the cookies, the pending state cleared, the
// browser's previous session ended (as the password path does), `signin.succeeded` audited with
// the methods. Callers then answer with goOnTo(path) (./session.ts).
import "server-only";
import { headers } from "next/headers";
import { data } from "@/lib/runtime";
import { getConfig } from "@/lib/config";
import { clientIp } from "@/lib/http/client-ip";
import { readDeviceToken } from "@/lib/auth/device-cookie";
import { sessionIdFromCookies } from "@/lib/auth/portal-session";
import { openSession } from "@/lib/auth/sign-in";
import { setSignInCookies } from "./session";
import { clearPendingSignIn } from "./pending-cookie";

/**
 * Signs `userId` in with `amr` (RFC 8176 values, e.g. ["pwd", "otp", "mfa"]). The caller must have
 * verified every factor `amr` names; this function trusts it.
 */
export async function finishSignIn(userId: string, amr: readonly string[]): Promise<{ sessionId: string }> {
  const h = await headers();
  const cookieHeader = h.get("cookie");
  const previous = await sessionIdFromCookies(cookieHeader);
  const opened = await openSession(
    data(),
    { userId, amr, ip: clientIp(h), userAgent: h.get("user-agent"), deviceToken: readDeviceToken(cookieHeader) },
    getConfig().sessionMaxAgeSeconds,
  );
  if (previous && previous !== opened.sessionId) await data().sessions.revoke(previous);
  await setSignInCookies({ userId, ...opened });
  await clearPendingSignIn();
  return { sessionId: opened.sessionId };
}

/**
 * A step-up on the signed-in session (`/signin/step-up`): after the caller verified the factor,
 * the session counts as authenticated by `amr` from now (its auth_time moves; OIDC Core §2),
 * audited `session.stepped_up` with the methods. False when the session is no longer live.
 */
export async function finishStepUp(session: { id: string; userId: string }, amr: readonly string[]): Promise<boolean> {
  const ok = await data().sessions.stepUp(session.id, amr);
  if (ok) {
    const ip = clientIp(await headers());
    await data().audit.record({ type: "session.stepped_up", actorId: session.userId, subjectId: session.userId, ip, data: { methods: amr.join(" ") } });
  }
  return ok;
}
