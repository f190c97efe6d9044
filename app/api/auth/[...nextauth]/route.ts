// next-auth's endpoints for the portal's own sign-in (credentials callback, CSRF, sign-out).
import type { NextRequest } from "next/server";
import NextAuth from "next-auth";
import { authOptions } from "./options";

type Ctx = { params: Promise<{ nextauth: string[] }> };

// Options are built on first request, not at import: `next build` must not need a secret.
function handler(req: NextRequest, ctx: Ctx): Promise<Response> {
  return NextAuth(req, ctx, authOptions());
}

export { handler as GET, handler as POST };
