"use server";
// The security page's actions: set up the authenticator app, turn it off, make new recovery
// codes. Each checks the caller's session first and acts only on the caller's own account.
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { data } from "@/lib/runtime";
import { getConfig } from "@/lib/config";
import { requireUser } from "@/lib/auth/session";
import { clientIp } from "@/lib/http/client-ip";
import { confirmation, formOrEmpty } from "@/lib/http/action-args";
import { parseAmr } from "@/lib/oauth/amr";
import { confirmTotpEnrolment, regenerateRecoveryCodes, setupFromSealed } from "@/lib/auth/totp-enrolment";
import { proveOwner } from "@/lib/auth/mfa-account";
import { hasSecondFactor } from "@/lib/auth/mfa-policy";
import type { TotpSetupState } from "@/components/mfa/totp-setup-form";
import type { DisableTotpState } from "@/components/mfa/disable-totp-form";
import type { RegenerateCodesState } from "@/components/mfa/regenerate-codes-form";

const PAGE = "/account/security";

export async function enableTotpAction(_prev: TotpSetupState, form: FormData): Promise<TotpSetupState> {
  form = formOrEmpty(form);
  const session = await requireUser(PAGE);
  const secret = getConfig().secret;
  const result = await confirmTotpEnrolment(
    data(),
    { userId: session.userId, sealed: form.get("sealed"), code: form.get("code"), appSecret: secret },
    { actorId: session.userId, ip: clientIp(await headers()) },
  );
  if (!result.ok) return { error: result.error, setup: (await setupFromSealed(form.get("sealed"), session.user, secret)) ?? undefined };
  return { recoveryCodes: result.recoveryCodes };
}

export async function disableTotpAction(_prev: DisableTotpState, form: FormData): Promise<DisableTotpState> {
  form = formOrEmpty(form);
  const session = await requireUser(PAGE);
  const c = confirmation(form);
  if (c === "no") return {};
  if (c === "ask") return { needsConfirmation: true };
  const ip = clientIp(await headers());
  const proof = await proveOwner(data(), { userId: session.userId, ip, amr: parseAmr(session.amr), appSecret: getConfig().secret }, form.get("proof"));
  if (!proof.ok) return { needsConfirmation: true, error: proof.message };
  await data().mfa.disableTotp(session.userId, { actorId: session.userId, ip });
  redirect(`${PAGE}?totp=off`);
}

export async function regenerateCodesAction(_prev: RegenerateCodesState, form: FormData): Promise<RegenerateCodesState> {
  form = formOrEmpty(form);
  const session = await requireUser(PAGE);
  const c = confirmation(form);
  if (c === "no") return {};
  if (c === "ask") return { needsConfirmation: true };
  if (!hasSecondFactor(await data().mfa.factors(session.userId))) return { error: "Set up two-step verification first." };
  return { codes: await regenerateRecoveryCodes(data(), session.userId, { actorId: session.userId, ip: clientIp(await headers()) }) };
}
