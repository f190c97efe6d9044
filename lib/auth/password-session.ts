// Password sign-in that starts a portal session: the one function behind both ways in, next-auth's
// credentials `authorize` (app/api/auth/[...nextauth]/options.ts) and the sign-in / sign-up server actions
// (app/signin/actions.ts), so that the input they hand to signInWithPassword and what happens to
// the browser's previous session are written once. The caller sets the cookie (next-auth sets its
// own; the actions use sessionCookie below, in next-auth's exact format).
import type { Stores } from "../db";
import { SECURE_SESSION_COOKIE, SESSION_COOKIE, sessionIdFromCookies } from "./portal-session";
import { logError } from "../log/logger";
import { readDeviceToken } from "./device-cookie";
import { encodeSessionJwt } from "./session-jwt";
import { signInWithPassword, type SignInResult } from "./sign-in";

export interface PasswordSignInRequest {
  email: unknown;
  password: unknown;
  ip: string | null;
  userAgent: string | null;
  /**
   * The request's Cookie header: the browser's previous portal session, if any, is ended, and its
   * device cookie (lib/auth/device-cookie.ts) decides which throttle counters the attempt counts on.
   */
  cookieHeader: string | null;
}

/** Longest email (RFC 5321 §4.5.3.1) and password we pass on; anything longer is cut, never hashed whole. */
const MAX_EMAIL = 320;
const MAX_PASSWORD = 1024;

const text = (v: unknown, max: number) => (typeof v === "string" ? v : "").slice(0, max);

/**
 * A sign-in that failed on our side (the database, most likely): the detail is logged, the browser
 * gets only the code "unavailable". next-auth copies a thrown message into the sign-in redirect URL,
 * and a database error's text (Prisma's, with the PostgreSQL detail) went out that way.
 */
export type PasswordSignInResult = SignInResult | { ok: false; error: typeof SIGN_IN_UNAVAILABLE };
export const SIGN_IN_UNAVAILABLE = "unavailable";

export async function passwordSignIn(
  s: Pick<Stores, "users" | "sessions" | "throttle" | "audit" | "devices" | "settings">,
  req: PasswordSignInRequest,
  sessionMaxAgeSeconds: number,
): Promise<PasswordSignInResult> {
  try {
    return await signInAndEndPrevious(s, req, sessionMaxAgeSeconds);
  } catch (err) {
    logError("Sign-in failed unexpectedly", err);
    return { ok: false, error: SIGN_IN_UNAVAILABLE };
  }
}

async function signInAndEndPrevious(
  s: Pick<Stores, "users" | "sessions" | "throttle" | "audit" | "devices" | "settings">,
  req: PasswordSignInRequest,
  sessionMaxAgeSeconds: number,
): Promise<SignInResult> {
  const result = await signInWithPassword(
    s,
    {
      email: text(req.email, MAX_EMAIL),
      password: text(req.password, MAX_PASSWORD),
      ip: req.ip,
      userAgent: req.userAgent,
      deviceToken: readDeviceToken(req.cookieHeader),
    },
    sessionMaxAgeSeconds,
  );
  if (result.ok) {
    // Signing in again (e.g. prompt=login) replaces the browser's previous session.
    const previous = await sessionIdFromCookies(req.cookieHeader);
    if (previous && previous !== result.sessionId) await s.sessions.revoke(previous);
  }
  return result;
}

/** The code the sign-in page turns into words (lib/auth/sign-in-messages.ts): "invalid", "wait:N"… */
export function signInErrorCode(result: Exclude<PasswordSignInResult, { ok: true }>): string {
  return "retryAfterSeconds" in result ? `${result.error}:${result.retryAfterSeconds}` : result.error;
}

export interface SessionCookie {
  name: string;
  value: string;
  options: { httpOnly: true; sameSite: "lax"; path: "/"; secure: boolean; expires: Date };
}

/**
 * The portal session cookie exactly as next-auth v4 writes it after a credentials sign-in
 * (core/routes/callback.js + core/lib/cookie.js): named `next-auth.session-token`, with the
 * `__Secure-` prefix and `Secure` when the portal's URL is https; HttpOnly, SameSite=Lax, Path=/,
 * expiring after the session's max age; the value a JWT of `{ sub, sid }` (the jwt callback's
 * token) encrypted as next-auth's encode does. next-auth reads it back as its own.
 */
export async function sessionCookie(
  signedIn: { userId: string; sessionId: string },
  opts: { secret: string; maxAgeSeconds: number; baseUrl: string },
): Promise<SessionCookie> {
  const secure = opts.baseUrl.startsWith("https://");
  const value = await encodeSessionJwt({
    token: { sub: signedIn.userId, sid: signedIn.sessionId },
    secret: opts.secret,
    maxAge: opts.maxAgeSeconds,
  });
  return {
    name: secure ? SECURE_SESSION_COOKIE : SESSION_COOKIE,
    value,
    options: { httpOnly: true, sameSite: "lax", path: "/", secure, expires: new Date(Date.now() + opts.maxAgeSeconds * 1000) },
  };
}
