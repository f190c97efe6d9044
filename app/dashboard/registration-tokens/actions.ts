"use server";
// Initial access tokens (RFC 7591 §3), admins only. Each action is a public endpoint: it checks
// the session and the role itself, then parses the form, then writes (the store audits).
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { data } from "@/lib/runtime";
import { requireAdmin } from "@/lib/auth/session";
import { confirmation, formOrEmpty } from "@/lib/http/action-args";
import { EXPIRY_CHOICES, type ExpiryChoice } from "@/components/registration/expiry";
import type { CreateTokenState } from "@/components/registration/create-token-form";
import type { RevokeTokenState } from "@/components/registration/revoke-token-form";

const PAGE = "/dashboard/registration-tokens";

const EXPIRY_MS: Record<ExpiryChoice, number> = {
  "1h": 3600_000,
  "24h": 24 * 3600_000,
  "7d": 7 * 24 * 3600_000,
  "30d": 30 * 24 * 3600_000,
};

const createSchema = z.object({
  label: z
    .string({ error: "Enter a label" })
    .trim()
    .min(1, "Enter a label")
    .max(100, "The label is at most 100 characters")
    .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), "The label must not contain control characters"),
  // A checkbox: present (any value, "on" by default) when ticked, absent otherwise.
  singleUse: z.string().optional(),
  expiresIn: z.enum(EXPIRY_CHOICES.map((c) => c.value) as [ExpiryChoice, ...ExpiryChoice[]], { error: "Choose when the token expires" }),
});

export async function createRegistrationTokenAction(_prev: CreateTokenState, form: FormData): Promise<CreateTokenState> {
  form = formOrEmpty(form); // malformed arguments (a crafted request): an empty form, never a 500
  const session = await requireAdmin();
  const parsed = createSchema.safeParse({ label: form.get("label") ?? undefined, expiresIn: form.get("expiresIn") ?? undefined, singleUse: form.get("singleUse") ?? undefined });
  if (!parsed.success) {
    const fieldErrors: { label?: string; expiresIn?: string } = {};
    for (const issue of parsed.error.issues) {
      const key = issue.path[0];
      if ((key === "label" || key === "expiresIn") && !fieldErrors[key]) fieldErrors[key] = issue.message;
    }
    return { status: "error", fieldErrors };
  }
  const created = await data().registration.createInitialAccessToken({
    label: parsed.data.label,
    expiresAt: new Date(Date.now() + EXPIRY_MS[parsed.data.expiresIn]),
    createdById: session.userId,
    singleUse: parsed.data.singleUse !== undefined,
  });
  revalidatePath(PAGE);
  // The only time the token leaves the server: it is stored hashed.
  return { status: "created", token: created.token, label: parsed.data.label, expiresAt: created.expiresAt.toISOString() };
}

const revokeSchema = z.object({ id: z.uuid() });

export async function revokeRegistrationTokenAction(_prev: RevokeTokenState, form: FormData): Promise<RevokeTokenState> {
  form = formOrEmpty(form); // malformed arguments (a crafted request): an empty form, never a 500
  const session = await requireAdmin();
  const parsed = revokeSchema.safeParse({ id: form.get("id") });
  if (!parsed.success) return { error: "That token could not be found." };
  const c = confirmation(form);
  if (c === "no") return { error: null };
  if (c === "ask") return { error: null, needsConfirmation: true };
  const revoked = await data().registration.revokeInitialAccessToken(parsed.data.id, session.userId);
  revalidatePath(PAGE);
  return revoked ? { error: null } : { error: "That token was already revoked or no longer exists." };
}
