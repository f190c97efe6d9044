"use server";
// The account's passkeys: the two steps of adding one (options for the browser, then its answer;
// these need JavaScript, as WebAuthn does), and renaming and removing (plain forms, no script
// needed). Every action checks the session first; only the caller's own passkeys change.
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { data } from "@/lib/runtime";
import { requireUser } from "@/lib/auth/session";
import { clientIp } from "@/lib/http/client-ip";
import { confirmation, formOrEmpty } from "@/lib/http/action-args";
import { describeUserAgent } from "@/lib/auth/user-agent";
import { finishRegistration, registrationOptions } from "@/lib/auth/passkeys";
import { cleanPasskeyName, MAX_PASSKEYS_PER_USER } from "@/lib/db/passkeys";
import { currentRelyingParty, setChallengeCookie, takeChallengeCookie } from "@/app/_lib/webauthn";
import type { PasskeyFormState, RegistrationStart, RegistrationFinish } from "@/components/account/passkey-types";

const PAGE = "/account/passkeys";
const credentialId = z.string().min(1).max(1366).regex(/^[A-Za-z0-9_-]+$/);

/** Step 1 of adding a passkey: the options for navigator.credentials.create(), the challenge in a cookie. */
export async function passkeyRegistrationOptionsAction(): Promise<RegistrationStart> {
  const session = await requireUser(PAGE);
  const rp = currentRelyingParty();
  if (!rp) return { error: "Passkeys cannot work on this server's address (an IP address). Ask your administrator." };
  const existing = await data().passkeys.listByUser(session.userId);
  if (existing.length >= MAX_PASSKEYS_PER_USER) return { error: `You have ${MAX_PASSKEYS_PER_USER} passkeys, the most an account can have. Remove one first.` };
  const options = await registrationOptions(rp, session.user, existing);
  await setChallengeCookie({ challenge: options.challenge, purpose: "register", userId: session.userId });
  return { options, suggestedName: describeUserAgent((await headers()).get("user-agent")) };
}

const MESSAGES: Record<string, string> = {
  expired: "That took too long, or the page was used twice. Try again.",
  invalid: "The passkey could not be checked. Try again, or use another device.",
  exists: "That passkey is already registered.",
  limit: `You have ${MAX_PASSKEYS_PER_USER} passkeys, the most an account can have. Remove one first.`,
};

/** Step 2: the browser's answer, checked and stored under `name`. */
export async function passkeyRegisterAction(responseJson: unknown, name: unknown): Promise<RegistrationFinish> {
  const session = await requireUser(PAGE);
  const rp = currentRelyingParty();
  if (!rp) return { error: MESSAGES.invalid! };
  const challenge = await takeChallengeCookie({ purpose: "register", userId: session.userId });
  const clean = typeof name === "string" ? cleanPasskeyName(name) : "";
  const result = await finishRegistration(data(), {
    rp,
    userId: session.userId,
    challenge,
    responseJson,
    name: clean || describeUserAgent((await headers()).get("user-agent")),
    ip: clientIp(await headers()),
  });
  return result.ok ? { ok: true } : { error: MESSAGES[result.error]! };
}

export async function renamePasskeyAction(_prev: PasskeyFormState, form: FormData): Promise<PasskeyFormState> {
  form = formOrEmpty(form); // a crafted request: an empty form, never a 500
  const session = await requireUser(PAGE);
  const id = credentialId.safeParse(form.get("passkey"));
  const raw = form.get("name");
  const typed = typeof raw === "string" ? raw.slice(0, 200) : "";
  if (!id.success) return { error: "Choose a passkey to rename.", name: typed };
  if (!cleanPasskeyName(typed)) return { error: "Give the passkey a name.", name: typed };
  const ok = await data().passkeys.rename(session.userId, id.data, typed, { ip: clientIp(await headers()) });
  if (!ok) return { error: "That passkey is gone. Reload the page.", name: typed };
  redirect(`${PAGE}?renamed=1`);
}

export async function removePasskeyAction(_prev: PasskeyFormState, form: FormData): Promise<PasskeyFormState> {
  form = formOrEmpty(form);
  const session = await requireUser(PAGE);
  const id = credentialId.safeParse(form.get("passkey"));
  if (!id.success) return { error: "Choose a passkey to remove." };
  const answer = confirmation(form);
  if (answer === "no") return {};
  if (answer === "ask") return { needsConfirmation: true };
  const ok = await data().passkeys.remove(session.userId, id.data, { ip: clientIp(await headers()) });
  if (!ok) return { error: "That passkey is gone. Reload the page." };
  redirect(`${PAGE}?removed=1`);
}
