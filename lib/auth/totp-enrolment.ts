// Setting up TOTP, on the security page and in the sign-in flow when the MFA policy requires it.
// Nothing is stored until a first code confirms the secret: the secret travels between the page
// and the confirming action sealed (AES-256-GCM under the app secret, bound to the user;
// lib/auth/totp.ts), so the browser holds it but can neither read nor change it, and a reload
// simply starts again. Confirmed: the secret stored, TOTP on, ten recovery codes made.
import QRCode from "qrcode";
import type { Stores } from "../db";
import type { MfaActor } from "../db/mfa";
import { newRecoveryCodes, recoveryCodeHash, normalizeRecoveryCode } from "./recovery-codes";
import { formatManualKey, matchTotpStep, newTotpSecret, normalizeTotpCode, openTotpSecret, sealTotpSecret, totpUri } from "./totp";

export interface TotpSetup {
  /** The secret sealed for this user: the hidden field the confirming form posts back. */
  sealed: string;
  /** The secret for typing in, in groups of four. */
  manualKey: string;
  /** The otpauth:// URI as a QR code, an SVG data URL (no request leaves the page). */
  qrDataUrl: string;
}

export async function newTotpSetup(user: { id: string; email: string }, appSecret: string): Promise<TotpSetup> {
  return setupFor(newTotpSecret(), user, appSecret);
}

async function setupFor(secret: string, user: { id: string; email: string }, appSecret: string): Promise<TotpSetup> {
  const svg = await QRCode.toString(totpUri(secret, user.email), { type: "svg", margin: 1, errorCorrectionLevel: "M" });
  return {
    sealed: sealTotpSecret(secret, appSecret, user.id),
    manualKey: formatManualKey(secret),
    qrDataUrl: `data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}`,
  };
}

/** The same setup again from its sealed secret (to show it again after a wrong code), or null when the value is not ours. */
export async function setupFromSealed(sealed: unknown, user: { id: string; email: string }, appSecret: string): Promise<TotpSetup | null> {
  if (typeof sealed !== "string" || sealed.length > 512) return null;
  const secret = openTotpSecret(sealed, appSecret, user.id);
  return secret ? setupFor(secret, user, appSecret) : null;
}

export type ConfirmTotpResult =
  | { ok: true; recoveryCodes: string[] }
  | { ok: false; error: "invalid_code" | "bad_setup" | "already_enabled" };

/** The first code confirms the secret: TOTP on, with new recovery codes (returned to show once). */
export async function confirmTotpEnrolment(
  s: Pick<Stores, "mfa">,
  input: { userId: string; sealed: unknown; code: unknown; appSecret: string; now?: Date },
  actor: MfaActor,
): Promise<ConfirmTotpResult> {
  const secret = typeof input.sealed === "string" && input.sealed.length <= 512 ? openTotpSecret(input.sealed, input.appSecret, input.userId) : null;
  if (!secret || typeof input.sealed !== "string") return { ok: false, error: "bad_setup" };
  const code = normalizeTotpCode(input.code);
  const step = code ? matchTotpStep(secret, code, input.now) : null;
  if (step === null) return { ok: false, error: "invalid_code" };
  const recoveryCodes = newRecoveryCodes();
  const hashes = recoveryCodes.map((c) => recoveryCodeHash(normalizeRecoveryCode(c)!));
  const enabled = await s.mfa.enableTotp(input.userId, { sealed: input.sealed, step, recoveryCodeHashes: hashes }, actor);
  return enabled ? { ok: true, recoveryCodes } : { ok: false, error: "already_enabled" };
}

/** New recovery codes for a user (the old ones stop working); returned to show once. */
export async function regenerateRecoveryCodes(s: Pick<Stores, "mfa">, userId: string, actor: MfaActor): Promise<string[]> {
  const codes = newRecoveryCodes();
  await s.mfa.replaceRecoveryCodes(userId, codes.map((c) => recoveryCodeHash(normalizeRecoveryCode(c)!)), actor);
  return codes;
}
