// The process-wide protocol dependencies: stores on the app's database, the key ring, the
// clock, the configuration. Built once, on first use (not at import: `next build` needs none).
import { getConfig } from "../config";
import { db } from "../db/client";
import { keyStore } from "../db/keys";
import { protocolStores } from "../db/protocol";
import { createSql } from "../db/protocol/sql";
import { createKeyRing } from "../keys/keyring";
import type { OAuthDeps } from "../oauth/types";

/** Retired keys stay in the JWKS this long: longer than any token they signed can live. */
export const RETIRED_KEY_RETENTION_SECONDS = 2 * 86_400;

const holder = globalThis as unknown as { __latchkeyOAuthDeps?: OAuthDeps };

export function oauthDeps(): OAuthDeps {
  if (holder.__latchkeyOAuthDeps) return holder.__latchkeyOAuthDeps;
  const cfg = getConfig();
  const d = db();
  holder.__latchkeyOAuthDeps = {
    issuer: cfg.issuer,
    lifetimes: cfg.tokens,
    stores: protocolStores(d, createSql(cfg.databaseUrl)),
    keys: createKeyRing(keyStore(d), {
      issuer: cfg.issuer,
      secret: cfg.secret,
      retiredRetentionSeconds: RETIRED_KEY_RETENTION_SECONDS,
    }),
    now: () => new Date(),
  };
  return holder.__latchkeyOAuthDeps;
}
