import { describe, expect, it } from "vitest";
import { randomToken, safeEqual, sha256 } from "./tokens";

describe("safeEqual", () => {
  it("is true for equal strings, also non-ASCII and empty", () => {
    expect(safeEqual("abc", "abc")).toBe(true);
    expect(safeEqual("pässwörd €", "pässwörd €")).toBe(true);
    expect(safeEqual("", "")).toBe(true);
  });

  it("is false for strings that differ in one character, in length, or in case", () => {
    expect(safeEqual("abc", "abd")).toBe(false);
    expect(safeEqual("abc", "abcd")).toBe(false);
    expect(safeEqual("", "a")).toBe(false);
    expect(safeEqual("ABC", "abc")).toBe(false);
  });
});

describe("sha256 and randomToken", () => {
  it("sha256 is the base64url SHA-256 digest (FIPS 180-4 test vector 'abc')", () => {
    expect(sha256("abc")).toBe(Buffer.from("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", "hex").toString("base64url"));
  });

  it("randomToken is 256 bits of base64url by default, fresh each time", () => {
    const a = randomToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(randomToken()).not.toBe(a);
  });
});
