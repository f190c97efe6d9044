// Recovery codes: ten, 60 random bits each, readable (xxxx-xxxx-xxxx), normalized before hashing
// so that case, dashes, spaces and look-alike letters do not matter.
import { describe, expect, it } from "vitest";
import { newRecoveryCodes, normalizeRecoveryCode, recoveryCodeHash, RECOVERY_CODE_COUNT } from "./recovery-codes";

describe("recovery codes", () => {
  it("ten codes of 12 Crockford base32 characters (60 bits ≥ 50), grouped by four, all different", () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(RECOVERY_CODE_COUNT);
    expect(RECOVERY_CODE_COUNT).toBe(10);
    for (const c of codes) expect(c).toMatch(/^[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}$/);
    expect(new Set(codes).size).toBe(10);
    // 32 symbols: 5 bits each.
    expect(12 * Math.log2(32)).toBeGreaterThanOrEqual(50);
  });

  it("normalizes case, dashes, spaces and the letters read as digits (o → 0, i/l → 1)", () => {
    expect(normalizeRecoveryCode("abcd-ef01-2345")).toBe("abcdef012345");
    expect(normalizeRecoveryCode(" ABCD EF01 2345 ")).toBe("abcdef012345");
    expect(normalizeRecoveryCode("ABCDEFO12345")).toBe("abcdef012345");
    expect(normalizeRecoveryCode("abcd-efoi-2345")).toBe("abcdef012345");
    expect(normalizeRecoveryCode("abcd-efOl-2345")).toBe("abcdef012345");
    const [code] = newRecoveryCodes(1);
    expect(recoveryCodeHash(normalizeRecoveryCode(code!.toUpperCase().replace(/-/g, " "))!)).toBe(recoveryCodeHash(normalizeRecoveryCode(code)!));
  });

  it("refuses what cannot be a code", () => {
    for (const bad of ["abcd-efgh-ijk", "abcd-efgh-ijklm", "abcd-efgh-iju!", "uuuu-uuuu-uuuu", "", null, 42, "a".repeat(65)]) {
      expect(normalizeRecoveryCode(bad)).toBeNull();
    }
  });

  it("the stored hash is SHA-256 (base64url), never the code", () => {
    const h = recoveryCodeHash("abcdef012345");
    expect(h).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(h).not.toContain("abcdef012345");
    expect(recoveryCodeHash("abcdef012346")).not.toBe(h);
  });
});
