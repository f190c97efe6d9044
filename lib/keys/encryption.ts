// Private signing keys are stored encrypted: AES-256-GCM under a key derived (HKDF-SHA256) from
// the app secret. Decrypted once per process when a key is loaded, never per request.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

const INFO = "latchkey signing-key encryption v1";

function kek(secret: string): Buffer {
  return Buffer.from(hkdfSync("sha256", secret, "latchkey", INFO, 32));
}

/** "v1.<iv>.<ciphertext>.<tag>", each base64url. */
export function encryptPrivateKey(plaintext: string, secret: string, kid: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", kek(secret), iv);
  cipher.setAAD(Buffer.from(kid)); // binds the ciphertext to its key id
  const ct = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return ["v1", iv, ct, cipher.getAuthTag()].map((p) => (typeof p === "string" ? p : p.toString("base64url"))).join(".");
}

export function decryptPrivateKey(sealed: string, secret: string, kid: string): string {
  const [v, iv, ct, tag] = sealed.split(".");
  if (v !== "v1" || !iv || !ct || !tag) throw new Error(`Signing key ${kid}: unknown encryption format`);
  const decipher = createDecipheriv("aes-256-gcm", kek(secret), Buffer.from(iv, "base64url"));
  decipher.setAAD(Buffer.from(kid));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  try {
    return Buffer.concat([decipher.update(Buffer.from(ct, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    throw new Error(`Signing key ${kid} cannot be decrypted: was LATCHKEY_SECRET changed?`);
  }
}
