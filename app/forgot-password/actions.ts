"use server";
// Forgot password: a public endpoint. The answer is decided before anything is looked up, and the
// lookup, the throttles and the mail run after the response (next/server after()), so the page,
// its status and its timing are the same for every address (no account enumeration).
import { after } from "next/server";
import { headers } from "next/headers";
import { mailLinkDeps } from "@/lib/runtime";
import { clientIp } from "@/lib/http/client-ip";
import { formDataOrNull } from "@/lib/http/action-args";
import { forgotPasswordSchema, requestPasswordReset } from "@/lib/auth/password-reset";
import { logError } from "@/lib/log/logger";
import type { ForgotPasswordState } from "@/components/auth/forgot-password-form";

export async function forgotPasswordAction(_prev: ForgotPasswordState, form: FormData): Promise<ForgotPasswordState> {
  const fields = formDataOrNull(form);
  if (!fields) return { formError: "The form could not be read. Reload the page and try again." };
  const typed = fields.get("email");
  const email = typeof typed === "string" ? typed.slice(0, 400) : "";
  const parsed = forgotPasswordSchema.safeParse({ email: typed });
  if (!parsed.success) return { email, fieldErrors: { email: parsed.error.issues[0]?.message ?? "Enter a valid email address" } };
  const ip = clientIp(await headers());
  const deps = mailLinkDeps();
  after(() => requestPasswordReset(deps, { email: parsed.data.email, ip }).catch((err) => logError("Password reset request failed", err)));
  return { sent: parsed.data.email };
}
