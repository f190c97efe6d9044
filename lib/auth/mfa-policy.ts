// Who must pass a second factor at sign-in, and what happens after a correct password. Pure.
import type { MfaPolicy } from "../db/settings";
import { isAdmin } from "./roles";

export interface SecondFactors {
  /** TOTP enrolled and confirmed. */
  totp: boolean;
  /** Registered passkeys. */
  passkeys: number;
}

/** Whether the admin's policy (Settings) requires this user to have a second factor. */
export function policyRequiresMfa(policy: MfaPolicy, user: { role: string }): boolean {
  return policy === "all" || (policy === "admins" && isAdmin(user));
}

export const hasSecondFactor = (f: SecondFactors) => f.totp || f.passkeys > 0;

/**
 * After a correct password: "none" opens the session; "verify" asks for a factor the user has;
 * "enrol" (the policy requires one and the user has none) sets up TOTP before any session.
 */
export function secondFactorStep(factors: SecondFactors, required: boolean): "none" | "verify" | "enrol" {
  if (hasSecondFactor(factors)) return "verify";
  return required ? "enrol" : "none";
}
