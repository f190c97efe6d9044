"use server";
// Sign-in as a server action, so that the form is a plain HTML POST before scripts load and
// without them (a GET form would put the password in the URL). Success: the session cookie and a
// redirect to the callback path on this site; a refusal: the code the page turns into words, and
// the typed email to refill the form with.
import { safeCallbackPath } from "@/lib/auth/safe-redirect";
import { signInErrorCode } from "@/lib/auth/password-session";
import { formDataOrNull } from "@/lib/http/action-args";
import { goOnTo, sendVerificationAfter, signInAndSetCookie } from "./session";
import { SECOND_FACTOR_PATH } from "./pending-cookie";
import type { SignInState } from "@/components/auth/sign-in-form";

export async function signInAction(_prev: SignInState, form: FormData): Promise<SignInState> {
  const data = formDataOrNull(form);
  if (!data) return { error: "invalid" };
  const email = data.get("email");
  const callbackPath = safeCallbackPath(data.get("callbackUrl"));
  const result = await signInAndSetCookie(email, data.get("password"), callbackPath);
  // The password was right and a second factor follows (the pending sign-in is set).
  if (!result.ok && result.error === "second_factor") return goOnTo(SECOND_FACTOR_PATH);
  // The password was right but the address must be confirmed first: a new link, after answering.
  if (!result.ok && result.error === "unverified") await sendVerificationAfter(result.userId);
  if (!result.ok) return { error: signInErrorCode(result), email: typeof email === "string" ? email.slice(0, 320) : "" };
  return goOnTo(callbackPath);
}
