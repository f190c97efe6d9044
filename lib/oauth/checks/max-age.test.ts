// Check (7b): max_age is a non-negative integer (OIDC Core §3.1.2.1).
import { describe, expect, it } from "vitest";
import { checkMaxAge } from "./max-age";
import { oauthErrorOf, raw } from "@test/oauth-fixtures";

describe("checkMaxAge", () => {
  it("absent: null", () => {
    expect(checkMaxAge(raw({}))).toBeNull();
  });

  it.each([["0", 0], ["300", 300], ["86400", 86400]])("%s -> %i", (v, n) => {
    expect(checkMaxAge(raw({ max_age: v }))).toBe(n);
  });

  it.each(["-1", "1.5", "abc", "1e3", " 5", "0x10", "12345678901"])("%s -> invalid_request", (v) => {
    expect(oauthErrorOf(() => checkMaxAge(raw({ max_age: v }))).error).toBe("invalid_request");
  });
});
