// Secrets the server must read back (signing keys, TOTP shared secrets) are stored encrypted:
// AES-256-GCM under a key derived (HKDF-SHA256) from the app secret, one derived key per purpose
// (HKDF `info`), the ciphertext bound to the row it belongs to by the additional data (a key id, a
// user id), so that a value copied to another row does not decrypt.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

function kek(secret: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync("sha256", secret, "latchkey", purpose, 32));
}

/** "v1.<iv>.<ciphertext>.<tag>", each base64url. */
export function sealAtRest(plaintext: string, secret: string, purpose: string, aad: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", kek(secret, purpose), iv);
  cipher.setAAD(Buffer.from(aad));
  const ct = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return ["v1", iv, ct, cipher.getAuthTag()].map((p) => (typeof p === "string" ? p : p.toString("base64url"))).join(".");
}

/** The plaintext, or null when the value is malformed, tampered with, bound to another row or sealed under another secret. */
export function openAtRest(sealed: string, secret: string, purpose: string, aad: string): string | null {
  const [v, iv, ct, tag] = sealed.split(".");
  if (v !== "v1" || !iv || !ct || !tag) return null;
  try {
    const decipher = createDecipheriv("aes-256-gcm", kek(secret, purpose), Buffer.from(iv, "base64url"));
    decipher.setAAD(Buffer.from(aad));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(ct, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    return null;
  }
}
