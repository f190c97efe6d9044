// The WebAuthn ceremonies (W3C Web Authentication Level 2/3) on SimpleWebAuthn: options for the
// browser, and verification of what it answers, for registration and for a use (sign-in, second
// factor, step-up). Framework-free: the stores and the relying party come in as arguments; the
// challenge comes from its cookie (lib/auth/webauthn-challenge.ts), opened by the caller.
//
// Choices:
// - Discoverable credentials only (residentKey "required"): a passkey must work for usernameless
//   sign-in (WebAuthn §6.2.2 "client-side discoverable credential").
// - User verification "preferred" at registration and as a second factor, so that a security key
//   without a PIN can still be one; REQUIRED for a passkey as the first factor (possession alone is
//   one factor, weaker than a password). Whether the authenticator verified the user is read from
//   each use's authenticator data (the UV flag, §6.1) and decides the amr (lib/oauth/amr.ts):
//   `user` and, alone, `mfa` only when it did.
// - Attestation "none": we trust no particular maker, so we ask for no attestation statement.
import { randomBytes } from "node:crypto";
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type AuthenticatorTransportFuture,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from "@simplewebauthn/server";
import { z } from "zod";
import type { Stores } from "../db";
import type { PasskeyRow } from "../db/passkeys";
import { CHALLENGE_TTL_SECONDS, type OpenedChallenge } from "./webauthn-challenge";
import type { RelyingParty } from "./webauthn-rp";

/** A fresh challenge: 32 random bytes, base64url (WebAuthn §13.4.3 asks for at least 16). */
export const newChallenge = () => randomBytes(32).toString("base64url");

/** The WebAuthn user handle of a user: their id's bytes (no personal data, §14.6.1), base64url. */
export const userHandleOf = (userId: string) => Buffer.from(userId, "utf8").toString("base64url");

const TRANSPORTS = ["ble", "cable", "hybrid", "internal", "nfc", "smart-card", "usb"] as const;
const transportsOf = (stored: readonly string[]): AuthenticatorTransportFuture[] =>
  stored.filter((t): t is AuthenticatorTransportFuture => (TRANSPORTS as readonly string[]).includes(t));

/** The most a browser's answer may weigh (a passkey answer is a few kilobytes). */
export const MAX_RESPONSE_JSON = 64 * 1024;

const b64url = z.string().max(16_384).regex(/^[A-Za-z0-9_-]*$/);
const common = {
  id: b64url.min(1).max(1366), // a credential id is at most 1023 bytes (§5.8.3 … §6.1 credentialIdLength)
  rawId: b64url,
  type: z.literal("public-key"),
  authenticatorAttachment: z.enum(["platform", "cross-platform"]).optional(),
  clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
};
const registrationSchema = z.object({
  ...common,
  response: z.object({
    clientDataJSON: b64url,
    attestationObject: b64url,
    authenticatorData: b64url.optional(),
    transports: z.array(z.string().max(32)).max(10).optional(),
    publicKeyAlgorithm: z.number().int().optional(),
    publicKey: b64url.optional(),
  }),
});
const authenticationSchema = z.object({
  ...common,
  response: z.object({
    clientDataJSON: b64url,
    authenticatorData: b64url,
    signature: b64url,
    userHandle: b64url.optional(),
  }),
});

function parseJson<T>(text: unknown, schema: z.ZodType<T>): T | null {
  if (typeof text !== "string" || text.length > MAX_RESPONSE_JSON) return null;
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

// ---- Registration -------------------------------------------------------------------------

/** Options for navigator.credentials.create(): the user's existing passkeys excluded (§5.4.3). */
export function registrationOptions(
  rp: RelyingParty,
  user: { id: string; email: string; name: string | null },
  existing: readonly PasskeyRow[],
  challenge = newChallenge(),
): Promise<PublicKeyCredentialCreationOptionsJSON> {
  return generateRegistrationOptions({
    rpName: rp.name,
    rpID: rp.id,
    userName: user.email,
    userID: new Uint8Array(Buffer.from(user.id, "utf8")),
    userDisplayName: user.name ?? user.email,
    challenge,
    timeout: CHALLENGE_TTL_SECONDS * 1000,
    attestationType: "none",
    excludeCredentials: existing.map((p) => ({ id: p.id, transports: transportsOf(p.transports) })),
    authenticatorSelection: { residentKey: "required", requireResidentKey: true, userVerification: "preferred" },
  });
}

export type RegistrationResult =
  | { ok: true; passkeyId: string }
  | { ok: false; error: "expired" | "invalid" | "exists" | "limit" };

/**
 * Checks the browser's answer to registrationOptions (§7.1: challenge, origin, RP ID, user
 * presence, the attestation) and stores the passkey under `name` (audited `passkey.registered`).
 */
export async function finishRegistration(
  s: Pick<Stores, "passkeys" | "usedChallenges">,
  input: { rp: RelyingParty; userId: string; challenge: OpenedChallenge | null; responseJson: unknown; name: string; ip: string | null },
): Promise<RegistrationResult> {
  if (!input.challenge) return { ok: false, error: "expired" };
  const response = parseJson(input.responseJson, registrationSchema) as RegistrationResponseJSON | null;
  if (!response) return { ok: false, error: "invalid" };
  const info = await verifiedRegistration(input.rp, response, input.challenge.challenge);
  if (!info) return { ok: false, error: "invalid" };
  if (!(await s.usedChallenges.claim(input.challenge.challenge, input.challenge.expiresAt))) return { ok: false, error: "expired" };
  const added = await s.passkeys.add(
    {
      id: info.credential.id,
      userId: input.userId,
      name: input.name,
      publicKey: Buffer.from(info.credential.publicKey).toString("base64url"),
      counter: info.credential.counter,
      transports: transportsOf(info.credential.transports ?? response.response.transports ?? []),
      deviceType: info.credentialDeviceType,
      backedUp: info.credentialBackedUp,
    },
    { ip: input.ip },
  );
  return added === "ok" ? { ok: true, passkeyId: info.credential.id } : { ok: false, error: added };
}

/** SimpleWebAuthn's verification of a registration, or null when any check fails (it throws). */
async function verifiedRegistration(rp: RelyingParty, response: RegistrationResponseJSON, challenge: string) {
  try {
    const v = await verifyRegistrationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      requireUserVerification: false,
    });
    return v.verified ? v.registrationInfo : null;
  } catch {
    return null;
  }
}

// ---- Use (sign-in, second factor, step-up) ------------------------------------------------

/**
 * Options for navigator.credentials.get(). No `allow` (usernameless sign-in): the browser offers
 * the discoverable credentials it has for this RP; with `allow` (a known user): those only.
 */
export function authenticationOptions(
  rp: RelyingParty,
  opts: { allow?: readonly PasskeyRow[]; userVerification: "required" | "preferred" },
  challenge = newChallenge(),
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  return generateAuthenticationOptions({
    rpID: rp.id,
    challenge,
    timeout: CHALLENGE_TTL_SECONDS * 1000,
    userVerification: opts.userVerification,
    allowCredentials: (opts.allow ?? []).map((p) => ({ id: p.id, transports: transportsOf(p.transports) })),
  });
}

export type PasskeyUseFailure = "expired" | "malformed" | "unknown_credential" | "not_allowed" | "verification" | "replayed_challenge" | "counter";

export type PasskeyUse =
  | { ok: true; passkey: PasskeyRow; userVerified: boolean }
  | { ok: false; reason: PasskeyUseFailure; passkey: PasskeyRow | null };

/**
 * Verifies an assertion (§7.2) and records the use. In order: the challenge cookie was valid; the
 * credential is registered (and, for a known user, theirs); the user handle, when sent, names
 * its owner (§7.2 step 6); SimpleWebAuthn checks type, challenge, origin, RP ID, user presence,
 * user verification when required, and the signature; the challenge is claimed (single use); and
 * the counter moves forward in one conditional write (passkeys.recordUse). Audited `passkey.used`.
 * Nothing is written for an answer that does not verify.
 */
export async function verifyPasskeyUse(
  s: Pick<Stores, "passkeys" | "usedChallenges" | "audit">,
  input: {
    /** What the passkey is used for, recorded in the `passkey.used` audit event. */
    purpose: "sign_in" | "second_factor" | "step_up";
    rp: RelyingParty;
    challenge: OpenedChallenge | null;
    responseJson: unknown;
    /** The user who must own the passkey (second factor, step-up); absent for a usernameless sign-in. */
    userId?: string;
    requireUserVerification: boolean;
    ip: string | null;
  },
): Promise<PasskeyUse> {
  if (!input.challenge) return { ok: false, reason: "expired", passkey: null };
  const response = parseJson(input.responseJson, authenticationSchema) as AuthenticationResponseJSON | null;
  if (!response) return { ok: false, reason: "malformed", passkey: null };
  const passkey = await s.passkeys.find(response.id);
  if (!passkey) return { ok: false, reason: "unknown_credential", passkey: null };
  if (input.userId !== undefined && passkey.userId !== input.userId) return { ok: false, reason: "not_allowed", passkey };
  if (response.response.userHandle && response.response.userHandle !== userHandleOf(passkey.userId)) {
    return { ok: false, reason: "verification", passkey };
  }
  const result = await verifiedAssertion(input.rp, response, input.challenge.challenge, passkey, input.requireUserVerification);
  if (!result) return { ok: false, reason: "verification", passkey };
  if (!(await s.usedChallenges.claim(input.challenge.challenge, input.challenge.expiresAt))) {
    return { ok: false, reason: "replayed_challenge", passkey };
  }
  const used = await s.passkeys.recordUse(passkey.id, { counter: result.newCounter, backedUp: result.credentialBackedUp, ip: input.ip });
  if (used !== "ok") return { ok: false, reason: used === "unknown" ? "unknown_credential" : "counter", passkey };
  await s.audit.record({
    type: "passkey.used",
    actorId: passkey.userId,
    subjectId: passkey.userId,
    ip: input.ip,
    data: { passkey: passkey.id, purpose: input.purpose, userVerified: result.userVerified },
  });
  return { ok: true, passkey, userVerified: result.userVerified };
}

/**
 * SimpleWebAuthn's verification of an assertion (type, challenge, origin, RP ID, user presence,
 * user verification when required, the signature), or null when any check fails (it throws).
 */
async function verifiedAssertion(rp: RelyingParty, response: AuthenticationResponseJSON, challenge: string, passkey: PasskeyRow, requireUserVerification: boolean) {
  try {
    const v = await verifyAuthenticationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      // Counter 0 here: the counter rule is applied once, by passkeys.recordUse, as one conditional
      // write that also holds against parallel uses (and is audited), not read-then-compared.
      credential: { id: passkey.id, publicKey: new Uint8Array(Buffer.from(passkey.publicKey, "base64url")), counter: 0, transports: transportsOf(passkey.transports) },
      requireUserVerification,
    });
    return v.verified ? v.authenticationInfo : null;
  } catch {
    return null;
  }
}
