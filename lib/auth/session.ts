// Who is calling: the portal session behind the cookie (lib/auth/portal-session.ts reads it),
// checked against its database row on every request (revoked, expired or disabled => signed
// out). Call it in every page and every server action; middleware alone is not a check.
import "server-only";
import { cache } from "react";
import { cookies } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { data } from "../runtime";
import { getConfig } from "../config";
import { canManageApi, canManageClient, canUseDashboard, isAdmin } from "./roles";
import { isSafeId } from "../oauth/text";
import { isSessionCookie, sessionIdFromCookieJar } from "./portal-session";

export const currentSession = cache(async () => {
  const sid = await sessionIdFromCookieJar(await cookies());
  if (!sid) return null;
  return data().sessions.findWithUser(sid);
});

export type CurrentSession = NonNullable<Awaited<ReturnType<typeof currentSession>>>;

/** Where a user whose password an admin has flagged (User.mustResetPassword) must go first. */
export const PASSWORD_RESET_PATH = "/account/password";

/**
 * The signed-in session, or a redirect to sign-in that comes back to `returnTo`. While the
 * user must reset their password, every caller but the password page itself
 * (`{ passwordResetPage: true }`) redirects there instead.
 */
export async function requireUser(returnTo: string, opts: { passwordResetPage?: boolean } = {}): Promise<CurrentSession> {
  const s = await currentSession();
  if (!s) redirect(`/signin?callbackUrl=${encodeURIComponent(returnTo)}`);
  if (s.user.mustResetPassword && !opts.passwordResetPage) redirect(PASSWORD_RESET_PATH);
  return s;
}

/** Admins only; anyone else gets a 404, as if the page did not exist. */
export async function requireAdmin(): Promise<CurrentSession> {
  const s = await currentSession();
  if (!s || !isAdmin(s.user)) notFound();
  if (s.user.mustResetPassword) redirect(PASSWORD_RESET_PATH);
  return s;
}

/** Ends the current session: the row is revoked first, then the cookie is cleared. */
export async function endCurrentSession(): Promise<void> {
  const s = await currentSession();
  if (s) await data().sessions.revoke(s.id);
  const jar = await cookies();
  for (const c of jar.getAll()) {
    if (isSessionCookie(c.name)) jar.delete(c.name);
  }
}

/** The developer dashboard's gate: signed in, and allowed by role (or DASHBOARD_OPEN_TO_ALL); else 404. */
export async function requireDashboardUser(returnTo: string): Promise<CurrentSession> {
  const s = await requireUser(returnTo);
  if (!canUseDashboard(s.user, getConfig())) notFound();
  return s;
}

/**
 * A client the caller may manage (its owner, or an admin), by its row id; anything else is a 404,
 * so that a client's existence does not leak. Use in every page and server action on a client.
 */
export async function requireClientAccess(clientRowId: string, returnTo: string) {
  const session = await requireDashboardUser(returnTo);
  const client = isSafeId(clientRowId) ? await data().clients.findById(clientRowId) : null;
  if (!client || !canManageClient(session.user, client)) notFound();
  return { session, client };
}

/**
 * An API the caller may manage (its owner, or an admin), by its row id; anything else is a 404,
 * as for clients. Use in every page and server action on an API.
 */
export async function requireApiAccess(apiId: string, returnTo: string) {
  const session = await requireDashboardUser(returnTo);
  const api = isSafeId(apiId) ? await data().apis.findById(apiId) : null;
  if (!api || !canManageApi(session.user, api)) notFound();
  return { session, api };
}
