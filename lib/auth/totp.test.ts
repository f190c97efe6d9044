// TOTP (RFC 6238) with otpauth: the RFC's own test vector, the ±1 step window (§5.2), the code
// format, and the secret sealed at rest bound to its user.
import { describe, expect, it } from "vitest";
import { Secret } from "otpauth";
import {
  formatManualKey,
  matchTotpStep,
  newTotpSecret,
  normalizeTotpCode,
  openTotpSecret,
  sealTotpSecret,
  stepAt,
  totpCodeAt,
  totpUri,
} from "./totp";

// RFC 6238 Appendix B: the SHA-1 seed "12345678901234567890"; at T = 59 s the 8-digit TOTP is
// 94287082, so the 6-digit one is its last six digits (RFC 4226 §5.3 truncation mod 10^6).
const RFC_SECRET = Secret.fromLatin1("12345678901234567890").base32;
const APP_SECRET = "s".repeat(40);

describe("TOTP codes", () => {
  it("matches the RFC 6238 test vector at T = 59 s (step 1)", () => {
    expect(totpCodeAt(RFC_SECRET, new Date(59_000))).toBe("287082");
    expect(matchTotpStep(RFC_SECRET, "287082", new Date(59_000))).toBe(1);
  });

  it("accepts the previous, current and next step's codes and returns their steps; two steps away is refused", () => {
    const secret = newTotpSecret();
    const now = new Date(1_800_000_015_000);
    const step = stepAt(now);
    const at = (steps: number) => totpCodeAt(secret, new Date(now.getTime() + steps * 30_000));
    expect(matchTotpStep(secret, at(-1), now)).toBe(step - 1);
    expect(matchTotpStep(secret, at(0), now)).toBe(step);
    expect(matchTotpStep(secret, at(1), now)).toBe(step + 1);
    for (const far of [-3, -2, 2, 3]) {
      const code = at(far);
      // (a code can repeat by chance within the window: only check the ones that do not)
      if (![at(-1), at(0), at(1)].includes(code)) expect(matchTotpStep(secret, code, now)).toBeNull();
    }
  });

  it("a code of another secret is refused", () => {
    const now = new Date();
    const a = newTotpSecret();
    const b = newTotpSecret();
    const code = totpCodeAt(a, now);
    const window = [-1, 0, 1].map((s) => totpCodeAt(b, new Date(now.getTime() + s * 30_000)));
    if (!window.includes(code)) expect(matchTotpStep(b, code, now)).toBeNull();
  });

  it("secrets are 160 random bits (32 base32 characters), different each time", () => {
    const a = newTotpSecret();
    expect(a).toMatch(/^[A-Z2-7]{32}$/);
    expect(Secret.fromBase32(a).bytes).toHaveLength(20);
    expect(newTotpSecret()).not.toBe(a);
    expect(formatManualKey(a)).toMatch(/^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/);
  });

  it("the otpauth URI names the issuer and account, SHA1, 6 digits, 30 s", () => {
    const secret = newTotpSecret();
    const uri = new URL(totpUri(secret, "ada@example.com"));
    expect(uri.protocol).toBe("otpauth:");
    expect(uri.host).toBe("totp");
    expect(decodeURIComponent(uri.pathname)).toBe("/Latchkey:ada@example.com");
    expect(Object.fromEntries(uri.searchParams)).toEqual({ issuer: "Latchkey", secret, algorithm: "SHA1", digits: "6", period: "30" });
  });

  it("a code is six digits; spaces and dashes are allowed, anything else is refused", () => {
    expect(normalizeTotpCode("123456")).toBe("123456");
    expect(normalizeTotpCode(" 123 456 ")).toBe("123456");
    expect(normalizeTotpCode("123-456")).toBe("123456");
    for (const bad of ["12345", "1234567", "12345a", "", null, 123456, "１２３４５６"]) expect(normalizeTotpCode(bad)).toBeNull();
  });
});

describe("the secret at rest", () => {
  it("is sealed (not readable), opens for its user, and not for another user or under another app secret", () => {
    const secret = newTotpSecret();
    const sealed = sealTotpSecret(secret, APP_SECRET, "user-1");
    expect(sealed).not.toContain(secret);
    expect(sealed.startsWith("v1.")).toBe(true);
    expect(openTotpSecret(sealed, APP_SECRET, "user-1")).toBe(secret);
    expect(openTotpSecret(sealed, APP_SECRET, "user-2")).toBeNull();
    expect(openTotpSecret(sealed, "t".repeat(40), "user-1")).toBeNull();
    const parts = sealed.split(".");
    const ct = Buffer.from(parts[2]!, "base64url");
    ct[0] = ct[0]! ^ 1;
    parts[2] = ct.toString("base64url");
    expect(openTotpSecret(parts.join("."), APP_SECRET, "user-1")).toBeNull();
    expect(openTotpSecret("garbage", APP_SECRET, "user-1")).toBeNull();
  });
});
