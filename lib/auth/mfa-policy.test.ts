// Who must pass a second factor after the password: the user's factors and the admin's policy.
import { describe, expect, it } from "vitest";
import { hasSecondFactor, policyRequiresMfa, secondFactorStep } from "./mfa-policy";

describe("MFA policy", () => {
  it("off: nobody; admins: admins only; all: everyone", () => {
    const table = (["off", "admins", "all"] as const).map((p) => [p, ...(["user", "developer", "admin"] as const).map((role) => policyRequiresMfa(p, { role }))]);
    expect(table).toEqual([
      ["off", false, false, false],
      ["admins", false, false, true],
      ["all", true, true, true],
    ]);
  });

  it("a user with a factor is asked for it, required or not; without one: set up when required, else no step", () => {
    expect(secondFactorStep({ totp: true, passkeys: 0 }, false)).toBe("verify");
    expect(secondFactorStep({ totp: false, passkeys: 2 }, false)).toBe("verify");
    expect(secondFactorStep({ totp: true, passkeys: 1 }, true)).toBe("verify");
    expect(secondFactorStep({ totp: false, passkeys: 0 }, true)).toBe("enrol");
    expect(secondFactorStep({ totp: false, passkeys: 0 }, false)).toBe("none");
  });

  it("recovery codes alone are no second factor", () => {
    expect(hasSecondFactor({ totp: false, passkeys: 0 })).toBe(false);
  });
});
