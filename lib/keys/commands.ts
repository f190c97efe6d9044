// `keys rotate` and `keys list` for the CLI.
import type { Db } from "../db/client";
import type { AppConfig } from "../config";
import { keyStore } from "../db/keys";
import { generateSigningKey, SIGNING_ALGS } from "./generate";
import type { KeyCommands } from "../cli/commands";

export function keyCommands(db: Db, cfg: Pick<AppConfig, "secret">): KeyCommands {
  const keys = keyStore(db);
  return {
    async rotate() {
      // Rotate every algorithm we sign with, so each has a fresh active key.
      const rotated = [];
      for (const alg of SIGNING_ALGS) {
        const k = await keys.rotate(await generateSigningKey(alg, cfg.secret));
        rotated.push({ kid: k.kid, alg: k.alg, created_at: k.createdAt.toISOString() });
      }
      return { rotated };
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
