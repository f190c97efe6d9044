// `keys rotate` and `keys list` for the CLI.
import type { Db } from "../db/client";
import type { AppConfig } from "../config";
import { keyStore } from "../db/keys";
import { rotateSigningKeys } from "../keys/rotate";
import type { KeyCommands } from "./commands";

export function keyCommands(db: Db, cfg: Pick<AppConfig, "secret">): KeyCommands {
  const keys = keyStore(db);
  return {
    async rotate() {
      // Every algorithm we sign with gets a fresh active key.
      const rotated = await rotateSigningKeys(keys, cfg.secret);
      return { rotated: rotated.map((k) => ({ kid: k.kid, alg: k.alg, created_at: k.createdAt.toISOString() })) };
    },
    async list() {
      const rows = await keys.list();
      return {
        keys: rows.map((k) => ({
          kid: k.kid,
          alg: k.alg,
          state: k.state,
          created_at: k.createdAt.toISOString(),
          retired_at: k.retiredAt?.toISOString() ?? null,
        })),
      };
    },
  };
}
