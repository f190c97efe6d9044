// The words the sign-in page shows for each refusal code that lib/auth/sign-in.ts produces.
import { describe, expect, it } from "vitest";
import { signInErrorMessage } from "./sign-in-messages";

describe("signInErrorMessage", () => {
  it("one generic text for bad credentials (and for no code)", () => {
    for (const code of ["", "invalid", null, undefined]) {
      expect(signInErrorMessage(code)).toBe("Email or password is incorrect.");
    }
  });

  it("wait:N names the seconds", () => {
    expect(signInErrorMessage("wait:5")).toContain("Wait 5 seconds");
    expect(signInErrorMessage("wait:1")).toContain("Wait 1 second before");
  });

  it("locked:N names the pause in minutes, rounded up", () => {
    const m = signInErrorMessage("locked:600");
    expect(m).toContain("Too many failed attempts");
    expect(m).toContain("Try again in 10 minutes");
    expect(signInErrorMessage("locked:61")).toContain("Try again in 2 minutes");
    expect(signInErrorMessage("locked:60")).toContain("Try again in 1 minute.");
  });

  it("disabled has its own text", () => {
    expect(signInErrorMessage("disabled")).toBe("This account is disabled. Contact your administrator.");
  });
});
