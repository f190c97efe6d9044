// The words the sign-in page shows for each refusal code that lib/auth/sign-in.ts produces.
import { describe, expect, it } from "vitest";
import { signInErrorMessage, signInNotice } from "./sign-in-messages";

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

  it("locked says what to do: a browser used before, or an administrator", () => {
    expect(signInErrorMessage("locked:600")).toContain(
      "you can still sign in from a browser you have used to sign in to it before, or ask an administrator to unlock it.",
    );
  });

  it("disabled gets the same words as a wrong password (it must not confirm the password)", () => {
    expect(signInErrorMessage("disabled")).toBe("Email or password is incorrect.");
  });
});

describe("signInNotice", () => {
  it("says what happened for the known keys and nothing for others (prototype keys included)", () => {
    expect(signInNotice("password-reset")).toBe("Your password was changed and every browser and app was signed out. Sign in with your new password.");
    for (const k of ["__proto__", "constructor", "toString", "nope", ["password-reset"], undefined]) expect(signInNotice(k)).toBeUndefined();
  });
});
