"use server";
// Using a verification or email-change link: a public endpoint; the link in the form is the
// credential (lib/db/email-verification.ts uses it once). A POST, not the link's GET: mail
// scanners and previews fetch links, and must not confirm or change anything by doing so.
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { mailLinkDeps } from "@/lib/runtime";
import { clientIp } from "@/lib/http/client-ip";
import { formDataOrNull } from "@/lib/http/action-args";
import { applyVerificationLink } from "@/lib/auth/email-verification";
import { currentSession } from "@/lib/auth/session";
import type { VerifyEmailState } from "@/components/auth/verify-email-form";

export async function verifyEmailAction(_prev: VerifyEmailState, form: FormData): Promise<VerifyEmailState> {
  const fields = formDataOrNull(form);
  if (!fields) return { failed: "invalid" };
  const r = await applyVerificationLink(mailLinkDeps(), fields.get("token"), clientIp(await headers()));
  if (!r.ok) return { failed: r.reason };
  const notice = r.kind === "changed" ? "email-changed" : "email-verified";
  // Signed in already (on this browser): back to the account page, which shows the new state.
  const session = await currentSession();
  redirect(session && session.userId === r.userId ? `/account?email=${r.kind}` : `/signin?notice=${notice}`);
}
