"use server";
// Setting a password with an emailed link (reset or invitation): a public endpoint; the link in the
// form is the only credential, checked and used once in lib/db/recovery.ts. Then on to sign-in
// with the new password: a link proves the mailbox, not a second factor, so it does not sign in.
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { data } from "@/lib/runtime";
import { clientIp } from "@/lib/http/client-ip";
import { formDataOrNull } from "@/lib/http/action-args";
import { setPasswordWithLink } from "@/lib/auth/password-reset";
import type { SetPasswordState } from "@/components/auth/set-password-form";

export async function setPasswordAction(_prev: SetPasswordState, form: FormData): Promise<SetPasswordState> {
  const fields = formDataOrNull(form);
  if (!fields) return { badLink: true };
  const result = await setPasswordWithLink(
    data(),
    { token: fields.get("token"), password: fields.get("password"), confirm: fields.get("confirm") },
    clientIp(await headers()),
  );
  if (!result.ok) return "badLink" in result ? { badLink: true } : { fieldErrors: result.fieldErrors };
  redirect(`/signin?notice=${result.purpose === "invite" ? "password-chosen" : "password-reset"}`);
}
