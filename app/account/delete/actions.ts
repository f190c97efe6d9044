"use server";
// Delete my account. A public endpoint: it finds the caller itself, requires confirmed=yes and
// the current password or a passkey used on this session moments ago (lib/auth/account-deletion.ts), deletes in one transaction, then clears
// the browser's cookies and shows the goodbye page.
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { data } from "@/lib/runtime";
import { getConfig } from "@/lib/config";
import { deleteOwnAccount, passkeyOrPasswordCheck } from "@/lib/auth/account-deletion";
import { parseAmr } from "@/lib/oauth/amr";
import { deviceCookie } from "@/lib/auth/device-cookie";
import { endCurrentSession, requireUser } from "@/lib/auth/session";
import { clientIp } from "@/lib/http/client-ip";
import { formOrEmpty } from "@/lib/http/action-args";
import type { DeleteAccountState } from "@/components/account/delete-account-form";

export async function deleteAccountAction(_prev: DeleteAccountState, form: FormData): Promise<DeleteAccountState> {
  form = formOrEmpty(form); // malformed arguments (a crafted request): an empty form, never a 500
  const session = await requireUser("/account/delete");
  const stores = data();
  const check = passkeyOrPasswordCheck(stores, { amr: parseAmr(session.amr), authTime: session.authTime });
  const result = await deleteOwnAccount(stores, { userId: session.userId, ip: clientIp(await headers()) }, form, check);
  if (!result.ok) {
    if (result.cancelled) redirect("/account");
    return { fieldErrors: result.fieldErrors, formError: result.formError };
  }
  // The session row went with the account; clear its cookie, and the device cookie of an
  // account that no longer exists.
  await endCurrentSession();
  const d = deviceCookie("", getConfig().issuer.startsWith("https:"));
  (await cookies()).set(d.name, "", { ...d.options, maxAge: 0 });
  redirect("/account/deleted");
}
