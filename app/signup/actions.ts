"use server";
// Sign-up server action: a public endpoint, so it checks the sign-up switch itself.
import { headers } from "next/headers";
import { getConfig } from "@/lib/config";
import { stores } from "@/lib/db";
import { clientIp } from "@/lib/http/client-ip";
import { signUp, type SignUpFieldErrors } from "@/lib/auth/sign-up";

export type SignUpState = { ok: boolean; fieldErrors?: SignUpFieldErrors; formError?: string };

export async function signUpAction(_prev: SignUpState, form: FormData): Promise<SignUpState> {
  if (!getConfig().signupEnabled) return { ok: false, formError: "Sign-up is turned off on this server." };
  const result = await signUp(
    stores(),
    { name: form.get("name"), email: form.get("email"), password: form.get("password") },
    clientIp(await headers()),
  );
  return result.ok ? { ok: true } : { ok: false, fieldErrors: result.fieldErrors, formError: result.formError };
}
