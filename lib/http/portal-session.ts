// The portal session behind a plain Request (for protocol endpoints, outside Next's
// cookies()): next-auth's cookie is decoded with the app secret; the row it names is checked.
import { decodeSessionJwt } from "../auth/session-jwt";
import { getConfig } from "../config";
import type { FormSource } from "./form";
import type { OAuthStores, PortalSessionInfo } from "../oauth/types";

const COOKIE_NAMES = ["__Secure-next-auth.session-token", "next-auth.session-token"];

export function cookieValue(header: string | null, name: string): string | null {
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

/** The portal session id the request's cookie names (not yet checked against its row). */
export async function sessionIdFromCookies(header: string | null): Promise<string | null> {
  for (const name of COOKIE_NAMES) {
    const token = cookieValue(header, name);
    if (!token) continue;
    try {
      const jwt = await decodeSessionJwt({ token, secret: getConfig().secret });
      return typeof jwt?.sid === "string" ? jwt.sid : null;
    } catch {
      return null; // not ours, tampered or expired: signed out
    }
  }
  return null;
}

export async function sessionFromRequest(
  req: Pick<FormSource, "headers">,
  stores: Pick<OAuthStores, "sessions">,
): Promise<PortalSessionInfo | null> {
  const sid = await sessionIdFromCookies(req.headers.get("cookie"));
  return sid ? stores.sessions.findSignedIn(sid) : null;
}

/** Set-Cookie values that clear the portal session cookie (RP-Initiated Logout). */
export function clearSessionCookies(): string[] {
  return COOKIE_NAMES.map(
    (n) => `${n}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax${n.startsWith("__Secure-") ? "; Secure" : ""}`,
  );
}
