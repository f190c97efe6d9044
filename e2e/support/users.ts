import { randomBytes } from "node:crypto";
import { cli, cliInProcess } from "./cli";

/** A unique, lower-case address on a reserved TLD, e.g. `signup-m3x1k2-9f3a1c@e2e.test`. */
export function uniqueEmail(prefix = "user"): string {
  const safe = prefix.toLowerCase().replace(/[^a-z0-9-]+/g, "-") || "user";
  return `${safe}-${Date.now().toString(36)}-${randomBytes(3).toString("hex")}@e2e.test`;
}

/** A long password with upper/lower case, digits and a symbol; different every call. */
export function strongPassword(): string {
  return `Pw9!${randomBytes(15).toString("base64url")}`;
}

export type Role = "user" | "developer" | "admin";

export interface TestUser {
  id: string;
  email: string;
  password: string;
  name: string;
  role: Role;
}

/** Creates a user with the CLI's `user create` (run in this worker) and returns it with its password. */
export async function createUser(
  options: { prefix?: string; name?: string; role?: Role; password?: string } = {},
): Promise<TestUser> {
  const email = uniqueEmail(options.prefix ?? "user");
  const password = options.password ?? strongPassword();
  const name = options.name ?? "E2E Test User";
  const role = options.role ?? "user";
  const out = await cliInProcess([
    "user", "create",
    "--email", email,
    "--password", password,
    "--name", name,
    "--role", role,
  ]);
  if (typeof out !== "object" || out === null || !("id" in out) || !("email" in out)) {
    throw new Error(`cli user create printed ${JSON.stringify(out)}, expected {"id": ..., "email": ...}`);
  }
  if (String(out.email).toLowerCase() !== email) {
    throw new Error(`cli user create returned email ${String(out.email)}, expected ${email}`);
  }
  return { id: String(out.id), email, password, name, role };
}

/** Disables a user through the CLI (`user disable`), which ends their sessions at once. */
export async function disableUser(email: string): Promise<void> {
  await cli(["user", "disable", "--email", email]);
}
