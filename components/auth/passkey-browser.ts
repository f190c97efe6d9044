// Browser-side helpers shared by every passkey control (account page, sign-in, second factor,
// step-up): whether passkeys can work on this page, and a WebAuthn failure in plain words.
import { browserSupportsWebAuthn, WebAuthnError } from "@simplewebauthn/browser";

export type PasskeyAvailability = { ok: true } | { ok: false; reason: "unsupported" } | { ok: false; reason: "elsewhere"; url: string };

/**
 * `rpOrigin`: where passkeys work (lib/auth/webauthn-rp.ts). A page on another origin (the
 * loopback IP of a development server, whose passkeys live on localhost) gets a link there.
 */
export function passkeyAvailability(rpOrigin: string): PasskeyAvailability {
  if (!browserSupportsWebAuthn()) return { ok: false, reason: "unsupported" };
  if (window.location.origin !== rpOrigin) {
    return { ok: false, reason: "elsewhere", url: `${rpOrigin}${window.location.pathname}${window.location.search}` };
  }
  return { ok: true };
}

/** A failed navigator.credentials call in words; null when the user simply cancelled. */
export function passkeyErrorMessage(err: unknown): string | null {
  const code = err instanceof WebAuthnError ? err.code : null;
  const name = err instanceof Error ? err.name : "";
  if (code === "ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED") return "This device already holds a passkey for your account.";
  if (code === "ERROR_CEREMONY_ABORTED" || name === "AbortError") return null;
  if (name === "NotAllowedError") return null; // cancelled, or timed out: nothing went wrong on our side
  if (code === "ERROR_AUTHENTICATOR_MISSING_DISCOVERABLE_CREDENTIAL_SUPPORT") return "This security key cannot store a passkey. Use another device.";
  if (code === "ERROR_INVALID_DOMAIN" || code === "ERROR_INVALID_RP_ID") return "Passkeys do not work on this address.";
  return "The passkey did not work. Try again, or use another device.";
}
