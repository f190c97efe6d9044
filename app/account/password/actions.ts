"use server";
// Change password. Reachable while a reset is pending (it is the way out), so it passes
// `passwordResetPage`; everything else about the caller is checked as anywhere else.
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { data } from "@/lib/runtime";
import { changeOwnPassword } from "@/lib/auth/password-change";
import { PASSWORD_RESET_PATH, requireUser } from "@/lib/auth/session";
import { clientIp } from "@/lib/http/client-ip";
import { formOrEmpty } from "@/lib/http/action-args";
import type { PasswordState } from "@/components/account/password-form";

export async function changePasswordAction(_prev: PasswordState, form: FormData): Promise<PasswordState> {
  form = formOrEmpty(form); // malformed arguments (a crafted request): an empty form, never a 500
  const session = await requireUser(PASSWORD_RESET_PATH, { passwordResetPage: true });
  const result = await changeOwnPassword(
    data(),
    { userId: session.userId, sessionId: session.id, ip: clientIp(await headers()) },
    { currentPassword: form.get("currentPassword"), newPassword: form.get("newPassword"), keepApps: form.get("keepApps") },
  );
  if (!result.ok) return { fieldErrors: result.fieldErrors, formError: result.formError };
  redirect("/account?password=changed");
}
