// The one reader of the portal session cookie, for the portal's pages and server actions (from
// Next's cookie jar) and for the protocol endpoints (from a Cookie header): next-auth's cookie
// is decoded with the app secret (lib/auth/session-jwt.ts); the caller then checks the row it
// names. Written as next-auth v4 writes it, `__Secure-` prefixed when the portal is on https.
import { decodeSessionJwt } from "./session-jwt";
import { getConfig } from "../config";
import type { OAuthStores, PortalSessionInfo } from "../oauth/types";
import { parseAmr } from "../oauth/amr";

export const SESSION_COOKIE = "next-auth.session-token";
export const SECURE_SESSION_COOKIE = "__Secure-next-auth.session-token";
const SESSION_COOKIES = [SECURE_SESSION_COOKIE, SESSION_COOKIE];

/** True for the session cookie under either name, and for the chunks next-auth splits a long one into. */
export function isSessionCookie(name: string): boolean {
  return SESSION_COOKIES.some((n) => name === n || name.startsWith(`${n}.`));
}

function cookieValue(header: string | null, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(";")) {
    const i = part.indexOf("=");
    if (i > 0 && part.slice(0, i).trim() === name) {
      try {
        return decodeURIComponent(part.slice(i + 1).trim());
      } catch {
        return null; // malformed: treated as no cookie (signed out)
      }
    }
  }
  return null;
}

/** The session cookie's value in a Cookie header (either name), or null. */
function sessionCookieIn(header: string | null): string | null {
  for (const name of SESSION_COOKIES) {
    const token = cookieValue(header, name);
    if (token) return token;
  }
  return null;
}

/** The session id a session cookie's value carries; null when absent, not ours, tampered with or expired. */
async function sessionIdIn(token: string | null | undefined): Promise<string | null> {
  if (!token) return null;
  try {
    const jwt = await decodeSessionJwt({ token, secret: getConfig().secret });
    return typeof jwt?.sid === "string" ? jwt.sid : null;
  } catch {
    return null; // signed out
  }
}

/** The portal session id a Cookie header names (not yet checked against its row). */
export function sessionIdFromCookies(header: string | null): Promise<string | null> {
  return sessionIdIn(sessionCookieIn(header));
}

/** The same from Next's cookie jar (`await cookies()`), which also holds what this request has set. */
export function sessionIdFromCookieJar(jar: { get(name: string): { value: string } | undefined }): Promise<string | null> {
  return sessionIdIn(jar.get(SECURE_SESSION_COOKIE)?.value || jar.get(SESSION_COOKIE)?.value);
}

/** The protocol endpoints' view of the caller's session (authorize, end-session). */
export async function sessionFromRequest(
  req: { headers: { get(name: string): string | null } },
  stores: Pick<OAuthStores, "sessions">,
): Promise<PortalSessionInfo | null> {
  const sid = await sessionIdFromCookies(req.headers.get("cookie"));
  return sid ? stores.sessions.findSignedIn(sid) : null;
}

/** The protocol's view of a portal session row the portal itself read (requireUser): consent page and action. */
export function protocolSessionOf(row: { id: string; publicSid: string; userId: string; authTime: Date; amr: string }): PortalSessionInfo {
  return { id: row.id, sid: row.publicSid, userId: row.userId, authTime: row.authTime, amr: parseAmr(row.amr) };
}

/** Set-Cookie values that clear the portal session cookie (RP-Initiated Logout). */
export function clearSessionCookies(): string[] {
  return SESSION_COOKIES.map((n) => `${n}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax${n === SECURE_SESSION_COOKIE ? "; Secure" : ""}`);
}
