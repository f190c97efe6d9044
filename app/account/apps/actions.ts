"use server";
// Revoke a connected app: the caller's consent to one client, and every code and token the
// client holds for the caller (lib/db/grants.ts via the account store), effective at once.
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { data } from "@/lib/runtime";
import { requireUser } from "@/lib/auth/session";
import { clientIp } from "@/lib/http/client-ip";
import { confirmation, formOrEmpty } from "@/lib/http/action-args";
import type { RevokeAppState } from "@/components/account/revoke-app-button";
import { SAFE_ID } from "@/lib/oauth/text";

const revokeSchema = z.object({ client: z.string().max(64).regex(SAFE_ID) });

export async function revokeAppAction(_prev: RevokeAppState, form: FormData): Promise<RevokeAppState> {
  form = formOrEmpty(form); // malformed arguments (a crafted request): an empty form, never a 500
  const session = await requireUser("/account/apps");
  const parsed = revokeSchema.safeParse({ client: form.get("client") });
  if (!parsed.success) return { error: "Choose an app to revoke." };
  const c = confirmation(form);
  if (c === "no") return {};
  if (c === "ask") return { needsConfirmation: true };
  // Scoped to the caller: another user's grant, or an app never connected, is a no-op.
  const counts = await data().account.revokeConnectedApp(session.userId, parsed.data.client, { ip: clientIp(await headers()) });
  if (!counts) return { error: "This app is not connected to your account (any more). Reload the page." };
  redirect("/account/apps?revoked=1");
}
