// The device cookie (lib/db/devices.ts): its name, its attributes, reading it from a Cookie
// header. One module, so that every sign-in transport (next-auth's callback today, a server
// action tomorrow) reads and writes it the same way.
//
// HttpOnly (no script reads it), SameSite=Lax, Path=/ and, on https, Secure with the __Host-
// prefix (RFC 6265bis §4.1.3.2: no Domain, Path=/, Secure; a sibling subdomain cannot plant one).
import { DEVICE_TTL_SECONDS } from "../db/devices";

export const DEVICE_COOKIE = "latchkey-device";
export const SECURE_DEVICE_COOKIE = "__Host-latchkey-device";

/** The token format lib/db/devices.ts issues: 32 random bytes, base64url. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

export function deviceCookieName(secure: boolean): string {
  return secure ? SECURE_DEVICE_COOKIE : DEVICE_COOKIE;
}

/** The device token from a Cookie header (either name), or null when absent or malformed. */
export function readDeviceToken(cookieHeader: string | null | undefined): string | null {
  if (!cookieHeader) return null;
  for (const part of cookieHeader.split(";")) {
    const i = part.indexOf("=");
    if (i < 0) continue;
    const name = part.slice(0, i).trim();
    if (name !== DEVICE_COOKIE && name !== SECURE_DEVICE_COOKIE) continue;
    const value = part.slice(i + 1).trim();
    if (TOKEN.test(value)) return value;
  }
  return null;
}

export interface DeviceCookie {
  name: string;
  value: string;
  options: { httpOnly: true; sameSite: "lax"; path: "/"; secure: boolean; maxAge: number };
}

/** The cookie to set after a successful sign-in (the shape of `cookies().set(name, value, options)`). */
export function deviceCookie(token: string, secure: boolean): DeviceCookie {
  return {
    name: deviceCookieName(secure),
    value: token,
    options: { httpOnly: true, sameSite: "lax", path: "/", secure, maxAge: DEVICE_TTL_SECONDS },
  };
}
