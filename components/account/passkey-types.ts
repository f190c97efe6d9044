// What the passkey actions answer (app/account/passkeys/actions.ts), shared with their forms.
import type { PublicKeyCredentialCreationOptionsJSON } from "@simplewebauthn/browser";

/** Rename and remove (plain forms): an error keeps the typed name; remove asks first. */
export type PasskeyFormState = { error?: string; name?: string; needsConfirmation?: boolean };

/** Step 1 of adding a passkey: the options for the browser and a name to suggest, or why not. */
export type RegistrationStart = { options: PublicKeyCredentialCreationOptionsJSON; suggestedName: string; error?: undefined } | { error: string };

/** Step 2: stored, or why not. */
export type RegistrationFinish = { ok: true; error?: undefined } | { error: string };

/** A passkey as the account page lists it. */
export interface PasskeyItem {
  id: string;
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  /** Backed up by its provider (a synced passkey, e.g. iCloud Keychain or Google Password Manager). */
  synced: boolean;
}
