"use server";
// Sign-up server action: a public endpoint, so it checks the sign-up switch itself. The answer is
// the same whether the address was new or taken (lib/auth/sign-up.ts): "check your email". Nobody
// is signed in here; the new user signs in with their password from the answer's link.
import { headers } from "next/headers";
import { mailLinkDeps } from "@/lib/runtime";
import { getConfig } from "@/lib/config";
import { clientIp } from "@/lib/http/client-ip";
import { formDataOrNull } from "@/lib/http/action-args";
import { signUp } from "@/lib/auth/sign-up";
import type { SignUpState } from "@/components/auth/sign-up-form";

const typed = (v: FormDataEntryValue | null, max: number) => (typeof v === "string" ? v.slice(0, max) : "");

export async function signUpAction(_prev: SignUpState, form: FormData): Promise<SignUpState> {
  if (!getConfig().signupEnabled) return { ok: false, formError: "Sign-up is turned off on this server." };
  const fields = formDataOrNull(form);
  if (!fields) return { ok: false, formError: "The form could not be read. Reload the page and try again." };
  const values = { name: typed(fields.get("name"), 200), email: typed(fields.get("email"), 400) };
  const result = await signUp(
    mailLinkDeps(),
    { name: fields.get("name"), email: fields.get("email"), password: fields.get("password") },
    clientIp(await headers()),
  );
  if (!result.ok) return { ok: false, fieldErrors: result.fieldErrors, formError: result.formError, values };
  return { ok: true, values: { name: values.name, email: values.email.trim().toLowerCase() } };
}
