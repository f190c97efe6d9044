// Self-service sign-up: validation and creation. The caller checks that sign-up is enabled.
import { z } from "zod";
import type { Stores } from "../db";
import { EmailTaken } from "../db/users";
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

function minutes(seconds: number): string {
  const m = Math.ceil(seconds / 60);
  return `${m} minute${m === 1 ? "" : "s"}`;
}

/**
 * Validates, then counts the sign-up against the caller's address (SIGNUP_IP_LIMIT per
 * SIGNUP_IP_WINDOW_SECONDS, counted before the account is created, so parallel requests cannot
 * outrun it), then creates the account.
 */
export async function signUp(s: Pick<Stores, "users" | "signUps">, input: unknown, ip: string | null): Promise<SignUpResult> {
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
  try {
    await s.users.create({ name, email, passwordHash: await hashPassword(password) }, { ip });
  } catch (err) {
    if (err instanceof EmailTaken) {
      return { ok: false, fieldErrors: { email: "An account with this email already exists. Sign in instead." } };
    }
    throw err;
  }
  return { ok: true };
}
