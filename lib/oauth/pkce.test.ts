// PKCE (RFC 7636): the S256 transformation (§4.2), the verifier's syntax (§4.1) and the
// server's check (§4.6).
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { PKCE_VALUE, s256, verifierMatches } from "./pkce";

// RFC 7636 Appendix B.
const RFC_VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const RFC_CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

const UNRESERVED = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";
const verifierOf = (length: number) => Array.from({ length }, (_, i) => UNRESERVED[i % UNRESERVED.length]).join("");

describe("s256 (RFC 7636 §4.2)", () => {
  it("computes the Appendix B example", () => {
    expect(s256(RFC_VERIFIER)).toBe(RFC_CHALLENGE);
  });

  it("is BASE64URL(SHA256(ASCII(verifier))) without padding", () => {
    const v = verifierOf(128);
    const expected = createHash("sha256").update(Buffer.from(v, "ascii")).digest("base64").replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
    expect(s256(v)).toBe(expected);
    expect(s256(v)).toHaveLength(43);
  });
});

describe("verifierMatches (RFC 7636 §4.6)", () => {
  it("accepts the Appendix B verifier for its challenge", () => {
    expect(verifierMatches(RFC_VERIFIER, RFC_CHALLENGE)).toBe(true);
  });

  it("refuses a wrong verifier", () => {
    expect(verifierMatches(RFC_VERIFIER.replace(/k$/, "K"), RFC_CHALLENGE)).toBe(false);
    expect(verifierMatches(verifierOf(43), RFC_CHALLENGE)).toBe(false);
  });

  it("refuses the challenge in plain base64 (with + and =): the comparison is exact", () => {
    expect(verifierMatches(RFC_VERIFIER, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw+cM=")).toBe(false);
  });

  it("refuses the verifier itself as the challenge (no `plain` method)", () => {
    expect(verifierMatches(RFC_VERIFIER, RFC_VERIFIER)).toBe(false);
  });

  // §4.1: 43 to 128 characters. Each verifier is paired with its own correct challenge, so the
  // length is the only thing that can make it fail.
  it.each([43, 128])("accepts a verifier of %i characters (the bounds)", (n) => {
    const v = verifierOf(n);
    expect(verifierMatches(v, s256(v))).toBe(true);
  });

  it.each([0, 1, 42, 129, 200])("refuses a verifier of %i characters even with its own challenge", (n) => {
    const v = verifierOf(n);
    expect(v).toHaveLength(n);
    expect(verifierMatches(v, s256(v))).toBe(false);
  });

  it("accepts every unreserved character [A-Z] [a-z] [0-9] - . _ ~", () => {
    const v = UNRESERVED; // 66 characters
    expect(verifierMatches(v, s256(v))).toBe(true);
  });

  it.each(["+", "/", "=", " ", "%", "!", "*", "é", "\n", "\u0000"])("refuses a verifier containing %j even with its own challenge", (ch) => {
    const v = verifierOf(42) + ch + verifierOf(10);
    expect(verifierMatches(v, s256(v))).toBe(false);
    expect(PKCE_VALUE.test(v)).toBe(false);
  });

  it("PKCE_VALUE matches the whole value, not a part of it", () => {
    expect(PKCE_VALUE.test(`${verifierOf(50)}\n`)).toBe(false);
    expect(PKCE_VALUE.test(`\n${verifierOf(50)}`)).toBe(false);
  });
});
