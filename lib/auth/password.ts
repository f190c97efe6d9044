// Password hashing: argon2id with OWASP's recommended minimum (19 MiB, t=2, p=1).
import { availableParallelism } from "node:os";
import { hash, verify } from "@node-rs/argon2";
import { concurrencyLimit } from "./limit";

export const PASSWORD_HASH_PARAMS = {
  algorithm: 2, // Algorithm.Argon2id (an ambient const enum, not importable under isolatedModules)
  memoryCost: 19_456, // KiB
  timeCost: 2,
  parallelism: 1,
} as const;

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 256;

// Each hash holds 19 MiB and a core for its whole run: more at once than there are cores buys no
// throughput, only memory (16 concurrent sign-ins would hold ~300 MiB). Queue the rest.
const hashing = concurrencyLimit(availableParallelism());

export function hashPassword(password: string): Promise<string> {
  return hashing(() => hash(password, PASSWORD_HASH_PARAMS));
}

// A real hash of a random password, verified against when the account does not exist, so that
// "no such user" costs the same time as "wrong password" (no account enumeration by timing).
let dummy: Promise<string> | undefined;

export async function verifyPassword(passwordHash: string | null, password: string): Promise<boolean> {
  if (passwordHash === null) {
    dummy ??= hashPassword(crypto.randomUUID());
    const dummyHash = await dummy;
    await hashing(() => verify(dummyHash, password)).catch(() => false);
    return false;
  }
  try {
    return await hashing(() => verify(passwordHash, password));
  } catch {
    return false;
  }
}
