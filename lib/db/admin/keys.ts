// Admin console: signing keys. Rotation makes a new active key per algorithm and retires the
// old one (still published for two days, lib/http/deps.ts); retirement never leaves an algorithm
// without an active key (lib/db/keys.ts retire).
import type { Db } from "../client";
import { keyStore } from "../keys";
import { generateSigningKey, SIGNING_ALGS, type SigningAlg } from "../../keys/generate";

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
  const store = keyStore(db);
  const rotated: KeyListRow[] = [];
  for (const alg of algs) {
    const k = await store.rotate(await generateSigningKey(alg, secret), actorId);
    rotated.push({ kid: k.kid, alg: k.alg, state: k.state, createdAt: k.createdAt, retiredAt: k.retiredAt });
  }
  return rotated;
}

export function retireKey(db: Db, actorId: string, kid: string) {
  return keyStore(db).retire(kid, actorId);
}
