"use server";
// Profile edits (name; email with the current password). A server action is a public
// endpoint: it finds the caller itself, validates, and touches only the caller's row.
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { data, mailLinkDeps } from "@/lib/runtime";
import { requestVerification } from "@/lib/auth/email-verification";
import { updateOwnProfile } from "@/lib/auth/profile-update";
import { requireUser } from "@/lib/auth/session";
import { clientIp } from "@/lib/http/client-ip";
import { formOrEmpty } from "@/lib/http/action-args";
import type { ProfileState } from "@/components/account/profile-form";

export async function updateProfileAction(_prev: ProfileState, form: FormData): Promise<ProfileState> {
  form = formOrEmpty(form); // malformed arguments (a crafted request): an empty form, never a 500
  const session = await requireUser("/account");
  const input = { name: form.get("name"), email: form.get("email"), currentPassword: form.get("currentPassword") ?? undefined };
  const result = await updateOwnProfile(
    mailLinkDeps(),
    { userId: session.userId, ip: clientIp(await headers()) },
    input,
  );
  if (!result.ok) {
    const text = (v: unknown) => (typeof v === "string" ? v.slice(0, 400) : "");
    return { fieldErrors: result.fieldErrors, formError: result.formError, values: { name: text(input.name), email: text(input.email) } };
  }
  redirect(result.emailPending ? "/account?email=pending" : result.changed.length ? "/account?saved=1" : "/account");
}

/** "Send a new link" while the address is unverified: throttled like forgot-password; the page says what happened. */
export async function resendVerificationAction(): Promise<void> {
  const session = await requireUser("/account");
  const user = await data().users.findById(session.userId);
  if (!user) redirect("/account");
  const r = await requestVerification(mailLinkDeps(), user, clientIp(await headers()));
  redirect(`/account?email=${r === "sent" ? "sent" : r === "verified" ? "verified" : r === "throttled" ? "throttled" : "failed"}`);
}
