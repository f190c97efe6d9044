"use server";
// Profile edits (name, email). A server action is a public endpoint: it finds the caller
// itself, validates with the sign-up rules, and touches only the caller's row.
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { requireUser } from "@/lib/auth/session";
import { signUpSchema } from "@/lib/auth/sign-up";
import { account } from "@/lib/db/account";
import { EmailTaken } from "@/lib/db/users";
import { clientIp } from "@/lib/http/client-ip";

const profileSchema = signUpSchema.pick({ name: true, email: true });

export type ProfileState = { fieldErrors?: Partial<Record<"name" | "email", string>>; formError?: string };

export async function updateProfileAction(_prev: ProfileState, form: FormData): Promise<ProfileState> {
  const session = await requireUser("/account");
  const parsed = profileSchema.safeParse({ name: form.get("name"), email: form.get("email") });
  if (!parsed.success) {
    const fieldErrors: ProfileState["fieldErrors"] = {};
    for (const issue of parsed.error.issues) {
      const key = issue.path[0] as "name" | "email";
      fieldErrors[key] ??= issue.message;
    }
    return { fieldErrors };
  }
  let changed: string[];
  try {
    changed = await account().updateProfile(session.userId, parsed.data, { ip: clientIp(await headers()) });
  } catch (err) {
    if (err instanceof EmailTaken) return { fieldErrors: { email: "Another account already uses this email." } };
    throw err;
  }
  redirect(changed.length ? "/account?saved=1" : "/account");
}
