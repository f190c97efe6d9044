// A passkey as the second factor after a password (/signin/second-factor) or to step a signed-in
// session up (/signin/step-up): the passkey must be the given user's (allowCredentials = theirs,
// and checked again here), user verification is welcome but not required (the password or the
// session is the other factor), and the amr gains `hwk mfa` (lib/oauth/amr.ts: password + passkey
// is "pwd hwk mfa"), which meets the phishing-resistant acr (`phr`).
import type { Stores } from "../db";
import { AMR } from "../oauth/amr";
import { verifyPasskeyUse } from "./passkeys";
import type { OpenedChallenge } from "./webauthn-challenge";
import type { RelyingParty } from "./webauthn-rp";

/** The amr after a passkey on top of `first`: its values, then `hwk` and `mfa` once each. */
export function amrWithPasskey(first: readonly string[]): string[] {
  return [...first.filter((v) => v !== AMR.hwk && v !== AMR.mfa), AMR.hwk, AMR.mfa];
}

export type PasskeyFactorResult = { ok: true; amr: string[] } | { ok: false; error: "invalid" | "expired" };

export async function verifyPasskeyFactor(
  s: Pick<Stores, "passkeys" | "usedChallenges" | "audit">,
  input: {
    purpose: "second_factor" | "step_up";
    rp: RelyingParty;
    userId: string;
    /** The amr so far (the pending sign-in's, or the session's). */
    amr: readonly string[];
    challenge: OpenedChallenge | null;
    responseJson: unknown;
    ip: string | null;
  },
): Promise<PasskeyFactorResult> {
  const use = await verifyPasskeyUse(s, { ...input, requireUserVerification: false });
  if (!use.ok) {
    await s.audit.record({
      type: "mfa.failed",
      subjectId: input.userId,
      ip: input.ip,
      data: { method: "passkey", purpose: input.purpose, reason: use.reason, passkey: use.passkey?.id ?? null },
    });
    return { ok: false, error: use.reason === "expired" ? "expired" : "invalid" };
  }
  return { ok: true, amr: amrWithPasskey(input.amr) };
}
