// Key rotation: a fresh active key for each algorithm asked for, written through the store,
// which retires the previous active key of that algorithm in the same transaction
// (lib/db/keys.ts). Used by the key ring's first start, `keys rotate` and the admin console.
import { generateSigningKey, SIGNING_ALGS, type NewSigningKey, type SigningAlg } from "./generate";

/** What rotation needs of storage: make `key` the active key of its algorithm. */
export interface KeyRotationStore<Row> {
  rotate(key: NewSigningKey, actorId?: string | null): Promise<Row>;
}

/** Rotates `algs` (by default every algorithm we sign with), one after another; the new rows. */
export async function rotateSigningKeys<Row>(
  store: KeyRotationStore<Row>,
  secret: string,
  algs: readonly SigningAlg[] = SIGNING_ALGS,
  actorId: string | null = null,
): Promise<Row[]> {
  const rotated: Row[] = [];
  for (const alg of algs) rotated.push(await store.rotate(await generateSigningKey(alg, secret), actorId));
  return rotated;
}
