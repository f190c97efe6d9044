// The admin Settings page's form, parsed: a checkbox ("Require verified email to sign in") and
// a radio group ("Require two-step verification": nobody, admins only, everyone). Both are
// always posted together, so an unticked checkbox (absent from the form) means "off".
import { z } from "zod";
import { MFA_POLICIES, type Settings } from "../db/settings";

const schema = z.object({
  // A checkbox posts its value only when ticked; anything else (absent, crafted) is "off".
  requireEmailVerification: z.unknown().transform((v) => v === "on"),
  mfaPolicy: z.enum(MFA_POLICIES, { message: "Choose who must use two-step verification." }),
});

export type SettingsFormResult =
  | { ok: true; settings: Settings }
  | { ok: false; fieldErrors: Partial<Record<keyof Settings, string>> };

export function parseSettingsForm(form: { get(name: string): unknown }): SettingsFormResult {
  const parsed = schema.safeParse({ requireEmailVerification: form.get("requireEmailVerification"), mfaPolicy: form.get("mfaPolicy") });
  if (parsed.success) return { ok: true, settings: parsed.data };
  const fieldErrors: Partial<Record<keyof Settings, string>> = {};
  for (const issue of parsed.error.issues) fieldErrors[issue.path[0] as keyof Settings] ??= issue.message;
  return { ok: false, fieldErrors };
}
