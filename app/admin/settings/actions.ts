"use server";
// Admin settings: a public endpoint like every action, so it checks the admin role first (404
// otherwise), parses the form, and saves through the settings store (audited as
// settings.changed in the same transaction). Redirects to the page, which reads the saved values.
import { redirect } from "next/navigation";
import { data } from "@/lib/runtime";
import { formOrEmpty } from "@/lib/http/action-args";
import { parseSettingsForm } from "@/lib/admin/settings-form";
import type { SettingsFormState } from "@/components/admin/settings-form";
import { adminActor } from "../_lib/actor";

export async function saveSettingsAction(_prev: SettingsFormState, form: FormData): Promise<SettingsFormState> {
  form = formOrEmpty(form); // malformed arguments (a crafted request): an empty form, never a 500
  const actor = await adminActor();
  const parsed = parseSettingsForm(form);
  if (!parsed.ok) return { fieldErrors: parsed.fieldErrors };
  await data().settings.update(parsed.settings, actor.id);
  redirect("/admin/settings?saved=1");
}
