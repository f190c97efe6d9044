// Admin console: signing keys. Rotation makes a new active key per algorithm and retires the
// old one (still published for two days, lib/runtime.ts); retirement never leaves an algorithm
// without an active key (lib/db/keys.ts retire).
import type { Db } from "../client";
import { keyStore } from "../keys";
import { SIGNING_ALGS, type SigningAlg } from "../../keys/generate";
import { rotateSigningKeys } from "../../keys/rotate";

export interface KeyListRow {
  kid: string;
  alg: string;
  state: string;
  createdAt: Date;
  retiredAt: Date | null;
}

export async function listKeys(db: Db): Promise<KeyListRow[]> {
  const rows = await keyStore(db).list();
  return rows.map(({ kid, alg, state, createdAt, retiredAt }) => ({ kid, alg, state, createdAt, retiredAt }));
}

/** A new active key for `alg` (or every algorithm), each rotation audited as `key.rotated`. */
export async function rotateKeys(db: Db, secret: string, actorId: string, algs: readonly SigningAlg[] = SIGNING_ALGS) {
  const rotated = await rotateSigningKeys(keyStore(db), secret, algs, actorId);
  return rotated.map(({ kid, alg, state, createdAt, retiredAt }): KeyListRow => ({ kid, alg, state, createdAt, retiredAt }));
}

export function retireKey(db: Db, actorId: string, kid: string) {
  return keyStore(db).retire(kid, actorId);
}
