// Self-service sign-up: validation and creation. The caller checks that sign-up is enabled.
//
// The answer never tells whether an address has an account: a new address gets its account and a
// verification link; a taken one gets the same answer, and its owner an email saying someone tried
// (with sign-in and reset links), so the owner learns of it and nobody else does. The password is
// hashed either way, so both take the same time. Nobody is signed in here: the page says "check
// your email" to both, and the new user signs in with their password (or after verifying, when an
// admin requires it).
import { z } from "zod";
import type { Stores } from "../db";
import { EmailTaken } from "../db/users";
import { MAIL_FAILED_MESSAGE } from "../mail/mailer";
import { signUpAttemptMail } from "../mail/templates";
import { sendMail } from "./mail-links";
import { sendVerification, type VerificationDeps } from "./email-verification";
import { hashPassword, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "./password";
import { hasForbiddenNameCharacters, NAME_CHARACTERS_MESSAGE } from "./display-name";

export const signUpSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1, "Enter your name")
    .max(100, "At most 100 characters")
    .refine((n) => !hasForbiddenNameCharacters(n), NAME_CHARACTERS_MESSAGE),
  email: z.string().trim().toLowerCase().pipe(z.email("Enter a valid email address").max(320)),
  password: z
    .string()
    .min(PASSWORD_MIN_LENGTH, `Use at least ${PASSWORD_MIN_LENGTH} characters`)
    .max(PASSWORD_MAX_LENGTH, `Use at most ${PASSWORD_MAX_LENGTH} characters`),
});

export type SignUpFieldErrors = Partial<Record<keyof z.infer<typeof signUpSchema>, string>>;
export type SignUpResult = { ok: true } | { ok: false; fieldErrors: SignUpFieldErrors; formError?: string };

export type SignUpDeps = Pick<Stores, "users" | "signUps" | "emailLinkLimits"> & VerificationDeps;

function minutes(seconds: number): string {
  const m = Math.ceil(seconds / 60);
  return `${m} minute${m === 1 ? "" : "s"}`;
}

/**
 * Validates, then counts the sign-up against the caller's address (SIGNUP_IP_LIMIT per
 * SIGNUP_IP_WINDOW_SECONDS, counted before the account is created, so parallel requests cannot
 * outrun it), then creates the account.
 */
export async function signUp(s: SignUpDeps, input: unknown, ip: string | null): Promise<SignUpResult> {
  const parsed = signUpSchema.safeParse(input);
  if (!parsed.success) {
    const fieldErrors: SignUpFieldErrors = {};
    for (const issue of parsed.error.issues) {
      const key = issue.path[0] as keyof SignUpFieldErrors;
      fieldErrors[key] ??= issue.message;
    }
    return { ok: false, fieldErrors };
  }
  const { name, email, password } = parsed.data;
  const allowed = await s.signUps.count(ip);
  if (!allowed.ok) {
    return {
      ok: false,
      fieldErrors: {},
      formError: `Too many accounts have been created from your network recently. Try again in ${minutes(allowed.retryAfterSeconds)}.`,
    };
  }
  const passwordHash = await hashPassword(password);
  let sent: boolean;
  try {
    const user = await s.users.create({ name, email, passwordHash }, { ip });
    sent = (await sendVerification(s, user, ip)).ok;
  } catch (err) {
    if (!(err instanceof EmailTaken)) throw err;
    sent = await tellOwner(s, email, ip);
  }
  return sent ? { ok: true } : { ok: false, fieldErrors: {}, formError: MAIL_FAILED_MESSAGE };
}

/** The owner of a taken address hears of the attempt (at most EMAIL_LINKS_PER_ADDRESS such mails an hour). */
async function tellOwner(s: SignUpDeps, email: string, ip: string | null): Promise<boolean> {
  const owner = await s.users.findByEmail(email);
  if (!owner || !(await s.emailLinkLimits.count({ ip: null, email, userId: owner.id })).ok) return true;
  const message = signUpAttemptMail({ issuer: s.issuer, to: owner.email, signInLink: `${s.issuer}/signin`, resetLink: `${s.issuer}/forgot-password` });
  const ok = await sendMail(s, message, { userId: owner.id, purpose: "signup_attempt", ip });
  if (ok) await s.audit.record({ type: "signup.address_taken", subjectId: owner.id, ip });
  return ok;
}
