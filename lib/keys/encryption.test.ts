// Private signing keys at rest: AES-256-GCM under a key derived from LATCHKEY_SECRET, bound to the
// key id by the additional authenticated data.
import { describe, expect, it } from "vitest";
import { decryptPrivateKey, encryptPrivateKey } from "./encryption";

const SECRET = "a".repeat(40);
const KID = "kid-1";
const PLAINTEXT = JSON.stringify({ kty: "EC", crv: "P-256", d: "private-part" });

/** Flips one bit of the base64url segment `index` of a sealed value. */
function tamper(sealed: string, index: number): string {
  const parts = sealed.split(".");
  const bytes = Buffer.from(parts[index]!, "base64url");
  bytes[0] = bytes[0]! ^ 0x01;
  parts[index] = bytes.toString("base64url");
  return parts.join(".");
}

describe("encryptPrivateKey / decryptPrivateKey", () => {
  it("round-trips", () => {
    const sealed = encryptPrivateKey(PLAINTEXT, SECRET, KID);
    expect(decryptPrivateKey(sealed, SECRET, KID)).toBe(PLAINTEXT);
  });

  it("the sealed form is v1.<iv>.<ciphertext>.<tag> and does not contain the plaintext", () => {
    const sealed = encryptPrivateKey(PLAINTEXT, SECRET, KID);
    const [v, iv, ct, tag, ...rest] = sealed.split(".");
    expect(v).toBe("v1");
    expect(rest).toEqual([]);
    expect(Buffer.from(iv!, "base64url")).toHaveLength(12); // 96-bit GCM nonce
    expect(Buffer.from(tag!, "base64url")).toHaveLength(16);
    expect(Buffer.from(ct!, "base64url")).toHaveLength(Buffer.byteLength(PLAINTEXT));
    expect(sealed).not.toContain("private-part");
  });

  it("two encryptions of the same plaintext differ (random IV)", () => {
    const a = encryptPrivateKey(PLAINTEXT, SECRET, KID);
    const b = encryptPrivateKey(PLAINTEXT, SECRET, KID);
    expect(a).not.toBe(b);
    expect(a.split(".")[1]).not.toBe(b.split(".")[1]);
  });

  it("a different secret fails, and the message points at LATCHKEY_SECRET", () => {
    const sealed = encryptPrivateKey(PLAINTEXT, SECRET, KID);
    expect(() => decryptPrivateKey(sealed, "b".repeat(40), KID)).toThrow(
      "Signing key kid-1 cannot be decrypted: was LATCHKEY_SECRET changed?",
    );
  });

  it("a different kid fails (the kid is authenticated data)", () => {
    const sealed = encryptPrivateKey(PLAINTEXT, SECRET, KID);
    expect(() => decryptPrivateKey(sealed, SECRET, "kid-2")).toThrow("cannot be decrypted");
  });

  it.each([
    ["the IV", 1],
    ["the ciphertext", 2],
    ["the tag", 3],
  ])("tampering with %s fails", (_what, index) => {
    const sealed = encryptPrivateKey(PLAINTEXT, SECRET, KID);
    expect(() => decryptPrivateKey(tamper(sealed, index), SECRET, KID)).toThrow("cannot be decrypted");
  });

  it("an unknown format is refused with its own message", () => {
    expect(() => decryptPrivateKey("v2.a.b.c", SECRET, KID)).toThrow("Signing key kid-1: unknown encryption format");
    expect(() => decryptPrivateKey("v1.a.b", SECRET, KID)).toThrow("unknown encryption format");
  });
});
