// First run: make sure an admin can sign in. ADMIN_EMAIL/ADMIN_PASSWORD when set; otherwise,
// when no admin exists yet, one is generated and its password returned (to be printed once).
import type { Stores } from "../db";
import type { AppConfig } from "../config";
import { randomToken } from "../crypto/tokens";
import { hashPassword } from "./password";

export type BootstrapResult =
  | { created: false }
  | { created: true; email: string; generatedPassword?: string };

export const GENERATED_ADMIN_EMAIL = "admin@latchkey.local";

export async function ensureAdmin(s: Pick<Stores, "users">, cfg: Pick<AppConfig, "admin">): Promise<BootstrapResult> {
  const { email, password } = cfg.admin;
  if (email && password) {
    if (await s.users.findByEmail(email)) return { created: false };
    await s.users.create({ email, passwordHash: await hashPassword(password), role: "admin", emailVerified: true });
    return { created: true, email };
  }
  if ((await s.users.countAdmins()) > 0) return { created: false };
  const generated = randomToken(18);
  await s.users.create({
    email: GENERATED_ADMIN_EMAIL,
    name: "Administrator",
    passwordHash: await hashPassword(generated),
    role: "admin",
    emailVerified: true,
  });
  return { created: true, email: GENERATED_ADMIN_EMAIL, generatedPassword: generated };
}
