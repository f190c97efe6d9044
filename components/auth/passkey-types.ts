// What the passkey sign-in actions answer (app/signin/passkey-actions.ts, and the second-factor
// and step-up pages' passkey actions), shared with the passkey button.
import type { PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/browser";

/** Options for navigator.credentials.get(), or an error code. */
export type PasskeyOptions = { options: PublicKeyCredentialRequestOptionsJSON; error?: undefined } | { error: string };

/** Where to go once signed in (a path on this site), or an error code ("invalid", "expired", "locked:<s>"…). */
export type PasskeyResult = { redirectTo: string; error?: undefined } | { error: string };
