// The security page's decisions about second factors, apart from the page: turning TOTP off
// (re-authenticated by the password or a current code) and making new recovery codes.
import type { Stores } from "../db";
import { verifyCurrentPassword } from "./password-change";
import { verifySecondFactor } from "./second-factor";
import { normalizeTotpCode } from "./totp";

export type ProofResult = { ok: true } | { ok: false; message: string };

/**
 * Proof that the signed-in person is the account's owner before a factor is removed: the
 * password (throttled as a password change's re-authentication) or a current TOTP code (the
 * second-factor throttle, and the code is used up like any other).
 */
export async function proveOwner(
  s: Pick<Stores, "users" | "throttle" | "audit" | "mfa">,
  caller: { userId: string; ip: string | null; amr: readonly string[]; appSecret: string },
  proof: unknown,
): Promise<ProofResult> {
  if (typeof proof !== "string" || proof.length === 0) return { ok: false, message: "Enter your password or a code from your authenticator app." };
  if (normalizeTotpCode(proof)) {
    const r = await verifySecondFactor(s, { userId: caller.userId, method: "totp", code: proof, amr: caller.amr, ip: caller.ip, appSecret: caller.appSecret });
    if (r.ok) return { ok: true };
    return { ok: false, message: r.error === "invalid" ? "That code is not right." : "Too many wrong codes. Try again later, or use your password." };
  }
  const r = await verifyCurrentPassword(s, caller, proof.slice(0, 1024), "reauth");
  if (r.ok) return { ok: true };
  return { ok: false, message: "message" in r && r.message ? r.message : "That is not your password." };
}
