// POST /account/export: "Download my data" (the form on /account). A POST, not a GET, and only
// from our own pages (lib/http/same-origin.ts), so that another site cannot make a signed-in
// browser fetch the file; the session is checked here as in any page. The answer is the JSON
// file (lib/auth/account-export.ts) as an attachment, never stored by a cache; audited as
// account.exported.
import { data } from "@/lib/runtime";
import { getConfig } from "@/lib/config";
import { currentSession, PASSWORD_RESET_PATH } from "@/lib/auth/session";
import { accountExport, exportFileName } from "@/lib/auth/account-export";
import { clientIp } from "@/lib/http/client-ip";
import { isSameOriginPost } from "@/lib/http/same-origin";

export const dynamic = "force-dynamic";

/** A plain form post answered with a page elsewhere: 303, so the browser follows with a GET. */
const seeOther = (path: string) => new Response(null, { status: 303, headers: { Location: path, "Cache-Control": "no-store" } });

export async function POST(req: Request): Promise<Response> {
  if (!isSameOriginPost(req.headers, getConfig().issuer)) {
    return new Response("Forbidden: download your data from your account page.\n", {
      status: 403,
      headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
    });
  }
  const session = await currentSession();
  if (!session) return seeOther(`/signin?callbackUrl=${encodeURIComponent("/account")}`);
  if (session.user.mustResetPassword) return seeOther(PASSWORD_RESET_PATH);
  const now = new Date();
  const stores = data();
  const file = accountExport(await stores.accountExport.gather(session.userId, session.id, now), now);
  await stores.accountExport.recordExport(session.userId, clientIp(req.headers));
  return new Response(`${JSON.stringify(file, null, 2)}\n`, {
    status: 200,
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="${exportFileName(now)}"`,
      "Cache-Control": "no-store",
    },
  });
}
