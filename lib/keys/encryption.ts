// Private signing keys are stored encrypted: AES-256-GCM under a key derived (HKDF-SHA256) from
// the app secret (lib/crypto/at-rest.ts). Decrypted once per process when a key is loaded, never per request.
import { openAtRest, sealAtRest } from "../crypto/at-rest";

const INFO = "latchkey signing-key encryption v1";

/** "v1.<iv>.<ciphertext>.<tag>", each base64url; bound to its key id. */
export function encryptPrivateKey(plaintext: string, secret: string, kid: string): string {
  return sealAtRest(plaintext, secret, INFO, kid);
}

export function decryptPrivateKey(sealed: string, secret: string, kid: string): string {
  if (!sealed.startsWith("v1.") || sealed.split(".").length !== 4) throw new Error(`Signing key ${kid}: unknown encryption format`);
  const plain = openAtRest(sealed, secret, INFO, kid);
  if (plain === null) throw new Error(`Signing key ${kid} cannot be decrypted: was LATCHKEY_SECRET changed?`);
  return plain;
}
