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

/**
 * The password hash of an account that has none yet (an invited user, until they choose one): not
 * a PHC string, so no password can ever verify against it (verifyPassword treats it as absent).
 */
export const NO_PASSWORD = "!no-password";

/** Whether the account has a password one can sign in with. */
export function hasPassword(passwordHash: string): boolean {
  return passwordHash.startsWith("$argon2");
}

// A real hash of a random password, verified against when the account does not exist, so that
// "no such user" costs the same time as "wrong password" (no account enumeration by timing).
let dummy: Promise<string> | undefined;

export async function verifyPassword(passwordHash: string | null, password: string): Promise<boolean> {
  // No account, or an account without a password (NO_PASSWORD): the same work as a wrong password.
  if (passwordHash === null || !hasPassword(passwordHash)) {
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
