// next-auth configuration for the portal's own sign-in (email + password).
// next-auth issues the cookie (an encrypted JWT); the JWT carries only the id of a
// PortalSession row, and every request checks that row (lib/auth/session.ts, reading the cookie
// with lib/auth/portal-session.ts), so revoking the row signs the browser out at once. Beside its
// route, not in lib/auth: it is the glue between next-auth's request and our sign-in.
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { cookies } from "next/headers";
import { getConfig } from "@/lib/config";
import { data } from "@/lib/runtime";
import { clientIp } from "@/lib/http/client-ip";
import { deviceCookie } from "@/lib/auth/device-cookie";
import { passwordSignIn, signInErrorCode } from "@/lib/auth/password-session";
import { decodeSessionJwt, encodeSessionJwt } from "@/lib/auth/session-jwt";
import { safeCallbackPath } from "@/lib/auth/safe-redirect";
import { nextAuthLogger } from "@/lib/auth/next-auth-logger";
import { startPendingSignIn } from "@/app/signin/pending-cookie";

declare module "next-auth" {
  interface User {
    sid: string;
  }
  interface Session {
    sid?: string;
  }
}
declare module "next-auth/jwt" {
  interface JWT {
    sid?: string;
  }
}

let options: NextAuthOptions | undefined;

export function authOptions(): NextAuthOptions {
  if (options) return options;
  const cfg = getConfig();
  // next-auth derives its own URLs (and whether cookies are `Secure`) from NEXTAUTH_URL.
  process.env.NEXTAUTH_URL ??= cfg.issuer;
  options = {
    secret: cfg.secret,
    session: { strategy: "jwt", maxAge: cfg.sessionMaxAgeSeconds },
    // next-auth's cookie format, with its key derived once instead of per request (session-jwt.ts).
    jwt: { encode: encodeSessionJwt, decode: decodeSessionJwt },
    pages: { signIn: "/signin", error: "/signin" },
    // One escaped line per entry: its messages can quote request values (log injection).
    logger: nextAuthLogger,
    providers: [
      CredentialsProvider({
        name: "Email and password",
        credentials: { email: { type: "email" }, password: { type: "password" } },
        async authorize(credentials, req) {
          const headers = req.headers ?? {};
          const result = await passwordSignIn(
            data(),
            {
              email: credentials?.email,
              password: credentials?.password,
              ip: clientIp(headers),
              userAgent: typeof headers["user-agent"] === "string" ? headers["user-agent"] : null,
              cookieHeader: typeof headers.cookie === "string" ? headers.cookie : null,
            },
            cfg.sessionMaxAgeSeconds,
          );
          if (result.ok) {
            // next-auth cannot set a cookie of ours; this runs inside the route handler's request,
            // where Next adds cookies set through cookies() to the response it sends.
            const c = deviceCookie(result.deviceToken, cfg.issuer.startsWith("https:"));
            (await cookies()).set(c.name, c.value, c.options);
            return { id: result.userId, email: result.email, name: result.name, sid: result.sessionId };
          }
          if (result.error === "second_factor") {
            // No session for a user who needs a second factor: the pending sign-in instead. The
            // thrown code sends the browser to /signin?error=second_factor, which goes on to the
            // second-factor page (app/signin/page.tsx); the callback path travels in the pending state.
            const body: unknown = req.body;
            const callbackUrl = body && typeof body === "object" && "callbackUrl" in body ? body.callbackUrl : undefined;
            await startPendingSignIn({ userId: result.userId, amr: ["pwd"], step: result.step, callbackPath: safeCallbackPath(callbackUrl) });
          }
          // next-auth hands a thrown message to the sign-in page as `error`; it carries a code,
          // never a detail about the account (lib/auth/sign-in-messages.ts turns it into words).
          throw new Error(signInErrorCode(result));
        },
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user) return { sub: user.id, sid: user.sid };
        return token;
      },
      session({ session, token }) {
        return { expires: session.expires, sid: token.sid };
      },
      // Only paths on this site (no open redirect).
      redirect({ url, baseUrl }) {
        const path = url.startsWith(baseUrl) ? url.slice(baseUrl.length) || "/" : url;
        return `${baseUrl}${safeCallbackPath(path)}`;
      },
    },
    events: {
      async signOut({ token }) {
        if (token?.sid) await data().sessions.revoke(token.sid);
      },
    },
  };
  return options;
}
