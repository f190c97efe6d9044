// Challenges already answered (WebAuthn ceremonies, lib/auth/passkeys.ts): each may be used once.
// The challenge travels in an encrypted cookie (lib/auth/webauthn-challenge.ts), so a captured
// cookie and assertion could otherwise be sent again until the cookie expires, and a passkey that
// keeps no signature counter (most synced ones) would not notice (W3C WebAuthn Level 3 §13.4.3,
// "Cryptographic Challenges": the relying party must refuse a challenge it did not issue or
// already saw). Only a challenge whose ceremony verified is claimed, so anonymous requests add
// nothing here; a row lives until the challenge expires, then the purge takes it.
//
// Kept in RateCounter (a key, a count, an expiry, already purged): the claim is one
// upsert-increment, and the count it returns says whether this use was the first (count first,
// then check: DESIGN.md). Keys are prefixed so they never meet the rate limiter's.
import type { Db } from "./client";
import { sha256 } from "../crypto/tokens";

const keyOf = (challenge: string) => `webauthn-challenge:${sha256(challenge)}`;

export function usedChallengeStore(db: Db) {
  return {
    /** True for the first claim of `challenge`, false for every later one (until `expiresAt`, then purged). */
    async claim(challenge: string, expiresAt: Date): Promise<boolean> {
      const r = await db.rateCounter.upsert({
        where: { key: keyOf(challenge) },
        create: { key: keyOf(challenge), count: 1, expiresAt },
        update: { count: { increment: 1 } },
        select: { count: true },
      });
      return r.count === 1;
    },
  };
}
