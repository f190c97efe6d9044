// Random tokens and their storage hashes. Tokens, codes and client secrets carry 256 random
// bits, so a single SHA-256 is a safe storage hash for them (no password hash needed); only the
// hash is stored, and lookups go by hash (RFC 6749 §10.3, §10.5; RFC 9700 §4.14).
import { hash, randomBytes, timingSafeEqual } from "node:crypto";

/** `bytes` random bytes as base64url (32 bytes = 256 bits by default). */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}

export function sha256(value: string): string {
  // One-shot crypto.hash, cheaper than a createHash object (it runs on every token request;
  // docs/architecture.md, "Signing, hashing and the session cookie").
  return hash("sha256", value, "base64url");
}

/** Constant-time comparison of two strings of any length (compares their SHA-256 digests). */
export function safeEqual(a: string, b: string): boolean {
  // One-shot digests as Buffers, cheaper than two createHash objects (every client
  // authentication runs this).
  return timingSafeEqual(hash("sha256", a, "buffer"), hash("sha256", b, "buffer"));
}
