// Settings shared by playwright.config.ts (main process and every worker) and the specs.
//
// Playwright loads the config, and so this module, once in the runner process and again in
// each worker process. Workers are forked with the runner's environment, so the values are
// decided on the first load and stored in process.env (`??=`): every later load, in any
// process, sees the same port, data directory and admin password. Set E2E_DATA_DIR yourself to
// reuse a directory (e.g. to inspect the database after a run).
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";

/** The repository root (this file lives in <root>/e2e). */
export const REPO_ROOT = path.resolve(import.meta.dirname, "..");

const port = (process.env.E2E_PORT ??= "3100");
const dataDir = (process.env.E2E_DATA_DIR ??= path.join(
  REPO_ROOT,
  "e2e",
  ".data",
  `${new Date().toISOString().replace(/[:.]/g, "-")}-${randomBytes(4).toString("hex")}`,
));
// A strong admin password, random per run, shared with the workers the same way.
const adminPassword = (process.env.E2E_ADMIN_PASSWORD ??= `Adm1n-${randomBytes(18).toString("base64url")}`);

export const PORT = Number(port);
if (!Number.isInteger(PORT) || PORT < 1 || PORT > 65535) {
  throw new Error(`E2E_PORT must be a TCP port, got "${port}"`);
}

/** The test mail server's port (e2e/smtp-inbox.ts), beside the portal's. */
export const SMTP_PORT = Number((process.env.E2E_SMTP_PORT ??= String(PORT + 20_000)));

/** Public base URL of the portal under test; also its ISSUER. */
export const BASE_URL = `http://127.0.0.1:${PORT}`;

/** Fresh per run, under e2e/.data/ (git-ignored). */
export const DATA_DIR = path.resolve(dataDir);

/** Where the test mail server writes every message it receives (.eml files; e2e/support/mail.ts reads them). */
export const INBOX_DIR = path.join(DATA_DIR, "inbox");

/**
 * Empty means "unset": the app then uses SQLite under DATA_DIR. Set E2E_DATABASE_URL to run the
 * suite against another database (e.g. a throw-away PostgreSQL database).
 */
export const DATABASE_URL = process.env.E2E_DATABASE_URL ?? "";

export const ADMIN = {
  email: "admin@e2e.test",
  password: adminPassword,
} as const;

/** Sign-in throttling the server is started with (see serverEnv). */
export const THROTTLE = {
  slowAfter: 3,
  lockAfter: 5,
  lockSeconds: 600,
} as const;

/**
 * Environment for the portal process and for the CLI, so that both use the same database
 * and the same generated secret. Values here override whatever the calling shell has set.
 */
/**
 * A self-signed certificate for https://127.0.0.1, made once per run (openssl), that the server
 * trusts (NODE_EXTRA_CA_CERTS in serverEnv): client ID metadata documents must be fetched over
 * https, and the MCP SDK only sends an https clientMetadataUrl (e2e/mcp.spec.ts serves one).
 */
export const TEST_TLS = (() => {
  const dir = path.join(DATA_DIR, "tls");
  const tls = { key: path.join(dir, "key.pem"), cert: path.join(dir, "cert.pem") };
  if (!existsSync(tls.cert)) {
    mkdirSync(dir, { recursive: true });
    execFileSync(
      "openssl",
      ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
        "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", tls.key, "-out", tls.cert],
      { stdio: "ignore" },
    );
  }
  return tls;
})();

export function serverEnv(): Record<string, string> {
  return {
    NODE_ENV: "production",
    PORT: String(PORT),
    ISSUER: BASE_URL,
    DATA_DIR,
    // "" is treated as unset by the app (SQLite under DATA_DIR); it also masks any
    // DATABASE_URL exported by the calling shell.
    DATABASE_URL,
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    SIGNUP_ENABLED: "true",
    LOGIN_SLOW_AFTER: String(THROTTLE.slowAfter),
    // A first delay long enough that "straight away" stays straight away on a loaded machine.
    LOGIN_BACKOFF_SECONDS: "4",
    LOGIN_LOCK_AFTER: String(THROTTLE.lockAfter),
    LOGIN_LOCK_SECONDS: String(THROTTLE.lockSeconds),
    // Every test signs in from 127.0.0.1: keep the per-IP lock (an app setting beyond the
    // per-account ones above) out of the way so that tests cannot lock each other out.
    LOGIN_IP_LOCK_AFTER: "1000",
    // Likewise every sign-up comes from 127.0.0.1.
    SIGNUP_IP_LIMIT: "1000",
    // Likewise the cap on anonymous writes per address (lib/http/anonymous-writes.ts).
    ANONYMOUS_WRITES_PER_MINUTE: "10000",
    // Client ID metadata documents served by the specs on 127.0.0.1 (http, loopback): allowed for
    // development and tests only, and only because ISSUER is a loopback URL (lib/config).
    CLIENT_METADATA_ALLOW_PRIVATE: "1",
    CLIENT_METADATA_FETCHES_PER_MINUTE: "10000",
    NODE_EXTRA_CA_CERTS: TEST_TLS.cert,
    // A real SMTP server (e2e/smtp-inbox.ts) with STARTTLS, whose certificate is trusted above.
    SMTP_URL: `smtp://127.0.0.1:${SMTP_PORT}`,
    MAIL_FROM: "Latchkey E2E <no-reply@e2e.test>",
    // Every test asks for links from 127.0.0.1.
    EMAIL_LINKS_PER_IP: "10000",
  };
}

/** The environment of the test mail server (playwright.config.ts starts it). */
export function smtpInboxEnv(): Record<string, string> {
  return { E2E_SMTP_PORT: String(SMTP_PORT), E2E_INBOX_DIR: INBOX_DIR, E2E_TLS_KEY: TEST_TLS.key, E2E_TLS_CERT: TEST_TLS.cert };
}
