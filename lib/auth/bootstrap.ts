// First run: make sure an admin can sign in. ADMIN_EMAIL/ADMIN_PASSWORD when set; otherwise,
// when no admin exists yet, one is generated.
//
// The generated password never goes to the log: logs are kept, shipped and read by more
// people than the server's files. It is written once to DATA_DIR/initial-admin-password, mode
// 0600 (as the generated secret is), and the account is created with mustResetPassword, so
// the first sign-in must replace it (every portal page leads to /account/password until then):
// whoever reads the file later finds a password that no longer works. Once the admin has
// chosen a new password, the next start deletes the file.
import { existsSync, mkdirSync, rmSync, writeFileSync, chmodSync } from "node:fs";
import path from "node:path";
import type { Stores } from "../db";
import type { AppConfig } from "../config";
import { randomToken } from "../crypto/tokens";
import { hashPassword } from "./password";

export type BootstrapResult =
  | { created: false }
  | { created: true; email: string; passwordFile?: string };

export const GENERATED_ADMIN_EMAIL = "admin@latchkey.local";
export const INITIAL_PASSWORD_FILE = "initial-admin-password";

export async function ensureAdmin(
  s: Pick<Stores, "users">,
  cfg: Pick<AppConfig, "admin" | "dataDir">,
): Promise<BootstrapResult> {
  const { email, password } = cfg.admin;
  if (email && password) {
    if (await s.users.findByEmail(email)) return { created: false };
    await s.users.create({ email, passwordHash: await hashPassword(password), role: "admin", emailVerified: true });
    return { created: true, email };
  }
  const file = path.join(cfg.dataDir, INITIAL_PASSWORD_FILE);
  if ((await s.users.countAdmins()) > 0) {
    // The generated password has been replaced: its file has nothing left to tell.
    const generated = await s.users.findByEmail(GENERATED_ADMIN_EMAIL);
    if (existsSync(file) && !generated?.mustResetPassword) rmSync(file, { force: true });
    return { created: false };
  }
  const generated = randomToken(18);
  mkdirSync(cfg.dataDir, { recursive: true });
  writeFileSync(file, `${GENERATED_ADMIN_EMAIL}\n${generated}\n`, { mode: 0o600 });
  chmodSync(file, 0o600); // an older file keeps its mode on overwrite
  await s.users.create({
    email: GENERATED_ADMIN_EMAIL,
    name: "Administrator",
    passwordHash: await hashPassword(generated),
    role: "admin",
    emailVerified: true,
    mustResetPassword: true,
  });
  return { created: true, email: GENERATED_ADMIN_EMAIL, passwordFile: file };
}
