// Tests only: one "instance" of the server (its own stores and key ring) over a test database,
// as the real process builds it in lib/runtime.ts. Two of them on one database stand for two
// processes.
import { keyStore } from "../../db/keys";
import { testOAuthStores, type StoreVariant, type TempDatabase } from "../../db/test-support";
import { createKeyRing } from "../../keys/keyring";
import type { OAuthDeps } from "../../oauth/types";

export const ISSUER = "https://id.test";
export const SECRET = "s".repeat(48);

export function instance(t: TempDatabase, variant: StoreVariant): OAuthDeps {
  return {
    issuer: ISSUER,
    lifetimes: { authorizationCode: 60, accessToken: 600, idToken: 3600, refreshIdle: 3600, refreshAbsolute: 86400 },
    stores: testOAuthStores(t, variant),
    keys: createKeyRing(keyStore(t.db), { issuer: ISSUER, secret: SECRET, retiredRetentionSeconds: 86400 }),
    now: () => new Date(),
  };
}
