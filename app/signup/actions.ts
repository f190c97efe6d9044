"use server";
// Sign-up server action: a public endpoint, so it checks the sign-up switch itself. A new account
// is signed in at once, the same way the sign-in form does it (app/signin/session.ts), and sent
// on to the callback path: all in this one POST, so it works without JavaScript.
import { headers } from "next/headers";
import { data } from "@/lib/runtime";
import { getConfig } from "@/lib/config";
import { clientIp } from "@/lib/http/client-ip";
import { formDataOrNull } from "@/lib/http/action-args";
import { safeCallbackPath } from "@/lib/auth/safe-redirect";
import { signUp } from "@/lib/auth/sign-up";
import { goOnTo, signInAndSetCookie } from "@/app/signin/session";
import { SECOND_FACTOR_PATH } from "@/app/signin/pending-cookie";
import type { SignUpState } from "@/components/auth/sign-up-form";

const typed = (v: FormDataEntryValue | null, max: number) => (typeof v === "string" ? v.slice(0, max) : "");

export async function signUpAction(_prev: SignUpState, form: FormData): Promise<SignUpState> {
  if (!getConfig().signupEnabled) return { ok: false, formError: "Sign-up is turned off on this server." };
  const fields = formDataOrNull(form);
  if (!fields) return { ok: false, formError: "The form could not be read. Reload the page and try again." };
  const values = { name: typed(fields.get("name"), 200), email: typed(fields.get("email"), 400) };
  const result = await signUp(
    data(),
    { name: fields.get("name"), email: fields.get("email"), password: fields.get("password") },
    clientIp(await headers()),
  );
  if (!result.ok) return { ok: false, fieldErrors: result.fieldErrors, formError: result.formError, values };
  const callbackPath = safeCallbackPath(fields.get("callbackUrl"));
  const signedIn = await signInAndSetCookie(fields.get("email"), fields.get("password"), callbackPath);
  // The MFA policy requires a second factor of everyone: set one up before the first session.
  if (!signedIn.ok && signedIn.error === "second_factor") return { ok: true, ...(await goOnTo(SECOND_FACTOR_PATH)) };
  if (!signedIn.ok) {
    return { ok: true, values, formError: "Your account was created, but signing in failed. Please sign in." };
  }
  return { ok: true, ...(await goOnTo(callbackPath)) };
}
