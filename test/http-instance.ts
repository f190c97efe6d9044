// Tests only: one "instance" of the server (its own stores and key ring) over a test database,
// as the real process builds it in lib/runtime.ts. Two of them on one database stand for two
// processes.
import { keyStore } from "../lib/db/keys";
import { testProtocolStores, type TempDatabase } from "@test/db";
import { createKeyRing } from "../lib/keys/keyring";
import type { OAuthDeps } from "../lib/oauth/types";

export const ISSUER = "https://id.test";
export const SECRET = "s".repeat(48);

export function instance(t: TempDatabase): OAuthDeps {
  return {
    issuer: ISSUER,
    lifetimes: { authorizationCode: 60, accessToken: 600, idToken: 3600, refreshIdle: 3600, refreshAbsolute: 86400 },
    refreshReuseGrace: { seconds: 60, max: 20 },
    stores: testProtocolStores(t),
    keys: createKeyRing(keyStore(t.db), { issuer: ISSUER, secret: SECRET, retiredRetentionSeconds: 86400 }),
    now: () => new Date(),
  };
}
