// Configuration from the environment, validated once. Every variable is listed in the README.
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { z } from "zod";
import { dataDir, databaseLimits, databaseProvider, databaseUrl, type DatabaseLimits, type DbProvider } from "./database-url";
import { parseTrustProxy, type TrustProxy } from "../http/client-ip";
import { parseTrustedDomains } from "../oauth/client-documents/client-id-url";
import { failuresPerSecondSchema, logLevelSchema } from "./log-settings";

import type { RefreshReuseGrace } from "../oauth/types";

export class ConfigError extends Error {}

export interface AppConfig {
  issuer: string;
  port: number;
  /** HOST as set; unset means listenHost()'s default. */
  host?: string;
  production: boolean;
  dataDir: string;
  databaseUrl: string;
  dbProvider: DbProvider;
  /** Timeouts of the database connections (DB_*_MS). */
  databaseLimits: DatabaseLimits;
  /** At least 32 bytes of key material: signs/encrypts portal cookies, encrypts keys at rest. */
  secret: string;
  signupEnabled: boolean;
  /** Every signed-in user may register clients (otherwise only developers and admins). */
  dashboardOpenToAll: boolean;
  /** RFC 7591 registration without an initial access token (off by default). */
  openRegistration: boolean;
  /** RFC 7592 registration access tokens expire this long after issue; null = never. */
  registrationAccessTokenTtlSeconds: number | null;
  /**
   * Clients registered openly (no initial access token) or through a metadata document that
   * were never used (no consent, code or token) are purged this long after creation; null = never.
   */
  openRegistrationUnusedTtlSeconds: number | null;
  /** Client ID Metadata Documents (lib/oauth/client-documents). */
  clientMetadata: ClientMetadataConfig;
  sessionMaxAgeSeconds: number;
  throttle: ThrottleConfig;
  /** Self-service sign-ups allowed per address and window. */
  signUpLimit: { perIp: number; windowSeconds: number };
  tokens: TokenLifetimes;
  refreshReuseGrace: RefreshReuseGrace;
  admin: { email?: string; password?: string };
  /** Which X-Forwarded-For hops to believe (lib/http/client-ip.ts). */
  trustProxy: TrustProxy;
  server: ServerLimitsConfig;
  retention: RetentionConfig;
  /** SIGTERM/SIGINT: requests in flight may finish for this long (lib/http/shutdown.ts). */
  shutdownGraceSeconds: number;
  /** Anonymous requests that write a row (parked authorization requests, open registration), per address and minute. */
  anonymousWritesPerMinute: number;
  /** METRICS_TOKEN: GET /metrics answers only with this bearer token; null = /metrics is off (404). */
  metricsToken: string | null;
  rateLimits: RateLimitConfig;
  mail: MailConfig;
  /** Lifetimes of the links sent by email (lib/db/email-tokens.ts), in seconds. */
  emailLinks: EmailLinkConfig;
}

/** Outgoing mail (lib/mail). */
export interface MailConfig {
  /** SMTP_URL: smtp:// (STARTTLS required) or smtps:// (TLS); null = the outbox only. */
  smtpUrl: string | null;
  /** MAIL_FROM, or `Latchkey <no-reply@<issuer host>>`. */
  from: string;
  /** Where messages go without SMTP: DATA_DIR/outbox. */
  outboxDir: string;
  /** Links of outbox messages are printed in the log (development, or a loopback issuer). */
  printLinks: boolean;
}

export interface EmailLinkConfig {
  resetSeconds: number;
  verifySeconds: number;
  inviteSeconds: number;
  /** Emailed links (password reset, new verification link) asked for per address and hour. */
  perAddressPerHour: number;
  /** The same per caller address (IPv6 per /64 is not applied: the address as seen). */
  perIpPerHour: number;
}

/** Rate limits on the token, introspection, revocation and registration endpoints (lib/http/rate-limits.ts). 0 = off. */
export interface RateLimitConfig {
  /** RATE_LIMIT_PER_CLIENT: requests per client_id, endpoint and minute. */
  perClientPerMinute: number;
  /** RATE_LIMIT_PER_ADDRESS: requests per caller address (IPv6: per /64), endpoint and minute. */
  perAddressPerMinute: number;
  /** CLIENT_AUTH_FAILURES_PER_CLIENT: failed client authentications per client_id and window. */
  authFailuresPerClient: number;
  /** CLIENT_AUTH_FAILURES_PER_ADDRESS: failed client authentications per address and window. */
  authFailuresPerAddress: number;
  /** CLIENT_AUTH_FAILURE_WINDOW_SECONDS */
  authFailureWindowSeconds: number;
  /** RATE_LIMIT_SYNC_MS: how often each instance merges its counts with the shared ones. */
  syncMs: number;
  /** REDIS_URL: the shared counters live in Redis; unset: in the database. */
  redisUrl: string | null;
  /** REDIS_KEY_PREFIX */
  redisKeyPrefix: string;
}

export interface ClientMetadataConfig {
  /** CLIENT_ID_METADATA_DOCUMENTS: https client_ids are resolved (and discovery says so). */
  enabled: boolean;
  /** CLIENT_METADATA_TRUSTED_DOMAINS: host names or *.host patterns; empty = any public host. */
  trustedDomains: string[];
  /** CLIENT_METADATA_ALLOW_PRIVATE: development only; loopback/private addresses and http on loopback. */
  allowPrivate: boolean;
  /** CLIENT_METADATA_FETCHES_PER_MINUTE: document fetches per caller address and minute. */
  fetchesPerMinute: number;
}

/** The node:http server's limits (lib/http/server.ts), in bytes and milliseconds. */
export interface ServerLimitsConfig {
  maxBodyBytes: number;
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
  maxConnections: number;
}

export interface RetentionConfig {
  /** How often each instance purges expired rows; 0 = never. */
  purgeIntervalSeconds: number;
  /** Audit events older than this are purged; 0 = kept forever. */
  auditDays: number;
}

/** Lifetimes in seconds. */
export interface TokenLifetimes {
  authorizationCode: number;
  accessToken: number;
  idToken: number;
  refreshIdle: number;
  refreshAbsolute: number;
}

export interface ThrottleConfig {
  /** Failures per account allowed before each further attempt must wait (doubling delay). */
  slowAfter: number;
  /** The first delay, in seconds; each further failure doubles it. */
  backoffSeconds: number;
  /** Failures per account that lock it for `lockSeconds`. */
  lockAfter: number;
  /** Failures from one IP address that lock that address for `lockSeconds`. */
  ipLockAfter: number;
  lockSeconds: number;
  /** Failures older than this are forgotten. */
  windowSeconds: number;
}

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** `a@b.c` or `Name <a@b.c>` (RFC 5322 §3.4 mailbox, the common forms), with no line breaks. */
function isMailbox(v: string): boolean {
  if (/[\r\n]/.test(v)) return false;
  const m = /^(?:[^<>]*<([^<>\s]+)>|([^<>\s]+))$/.exec(v);
  const address = m?.[1] ?? m?.[2];
  return Boolean(address && z.email().safeParse(address).success);
}

const bool = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .transform((v) => v === "true" || v === "1" || v === "yes");
const int = (min: number) => z.coerce.number().int().min(min);

/** The URL's parts, or undefined when it does not parse (z.url reports that one). */
function urlOf(u: string): URL | undefined {
  try {
    return new URL(u);
  } catch {
    return undefined;
  }
}

const schema = z.object({
  NODE_ENV: z.string().optional(),
  ISSUER: z
    .url({ protocol: /^https?$/, error: "ISSUER must be an http(s) URL, e.g. https://id.example.com" })
    .refine((u) => !/[?#]/.test(u), "ISSUER must not have a query or fragment (RFC 8414 §2)")
    // RFC 8414 §3 / OIDC Discovery §4 put the metadata under {path}/.well-known/…; Latchkey serves
    // its endpoints and the .well-known documents at the root, so the issuer must be an origin.
    .refine(
      (u) => (urlOf(u)?.pathname ?? "/") === "/",
      "ISSUER must not have a path: Latchkey serves its endpoints at the root, so use the origin, e.g. https://id.example.com",
    )
    .default("http://localhost:3000"),
  PORT: int(1).max(65535).default(3000),
  HOST: z.string().trim().min(1).optional(),
  MAX_REQUEST_BODY_BYTES: int(1024).default(64 * 1024),
  HEADERS_TIMEOUT_SECONDS: int(1).default(10),
  REQUEST_TIMEOUT_SECONDS: int(1).default(30),
  KEEP_ALIVE_TIMEOUT_SECONDS: int(1).default(5),
  MAX_CONNECTIONS: int(1).default(1000),
  // Below the 30 s that process managers commonly wait after SIGTERM before SIGKILL.
  SHUTDOWN_GRACE_SECONDS: int(0).max(3600).default(25),
  PURGE_INTERVAL_SECONDS: int(0).default(300),
  AUDIT_RETENTION_DAYS: int(0).default(365),
  ANONYMOUS_WRITES_PER_MINUTE: int(1).default(60),
  RATE_LIMIT_PER_CLIENT: int(0).default(6000),
  RATE_LIMIT_PER_ADDRESS: int(0).default(12_000),
  CLIENT_AUTH_FAILURES_PER_CLIENT: int(0).default(10),
  CLIENT_AUTH_FAILURES_PER_ADDRESS: int(0).default(30),
  CLIENT_AUTH_FAILURE_WINDOW_SECONDS: int(1).default(300),
  RATE_LIMIT_SYNC_MS: int(50).max(60_000).default(1000),
  REDIS_URL: z.url({ protocol: /^rediss?$/, error: "REDIS_URL must be a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379/0" }).optional(),
  REDIS_KEY_PREFIX: z.string().max(100).default("latchkey:"),
  LATCHKEY_SECRET: z.string().min(32, "LATCHKEY_SECRET must be at least 32 characters").optional(),
  SIGNUP_ENABLED: bool.default(true),
  DASHBOARD_OPEN_TO_ALL: bool.default(false),
  OPEN_REGISTRATION: bool.default(false),
  // 0 = registration access tokens never expire (a client cannot get a new one by itself).
  REGISTRATION_ACCESS_TOKEN_TTL_SECONDS: int(0).default(0),
  // 0 = openly registered clients that are never used are kept for ever.
  OPEN_REGISTRATION_UNUSED_TTL_SECONDS: int(0).default(86_400),
  CLIENT_ID_METADATA_DOCUMENTS: bool.default(true),
  CLIENT_METADATA_TRUSTED_DOMAINS: z.string().optional(),
  CLIENT_METADATA_ALLOW_PRIVATE: bool.default(false),
  CLIENT_METADATA_FETCHES_PER_MINUTE: int(1).default(30),
  SQLITE_SYNCHRONOUS: z.enum(["FULL", "NORMAL", "full", "normal"], { error: "SQLITE_SYNCHRONOUS must be FULL or NORMAL" }).optional(),
  SESSION_MAX_AGE_SECONDS: int(60).default(60 * 60 * 24 * 7),
  LOGIN_SLOW_AFTER: int(1).default(3),
  LOGIN_BACKOFF_SECONDS: int(1).default(1),
  LOGIN_LOCK_AFTER: int(1).default(10),
  LOGIN_IP_LOCK_AFTER: int(1).default(50),
  LOGIN_LOCK_SECONDS: int(1).default(15 * 60),
  LOGIN_WINDOW_SECONDS: int(1).default(15 * 60),
  SIGNUP_IP_LIMIT: int(1).default(10),
  SIGNUP_IP_WINDOW_SECONDS: int(1).default(60 * 60),
  // RFC 6749 §4.1.2: a maximum code lifetime of 10 minutes is RECOMMENDED; we enforce it.
  AUTH_CODE_TTL_SECONDS: int(1).max(600, "AUTH_CODE_TTL_SECONDS must be at most 600 (10 minutes)").default(60),
  ACCESS_TOKEN_TTL_SECONDS: int(30).max(86_400).default(600),
  ID_TOKEN_TTL_SECONDS: int(30).max(86_400).default(3600),
  REFRESH_TOKEN_IDLE_SECONDS: int(60).default(14 * 86_400),
  REFRESH_TOKEN_ABSOLUTE_SECONDS: int(60).default(90 * 86_400),
  // A retry with a just-rotated refresh token (lib/oauth/grants/refresh-replay.ts); 0 = off.
  // Capped at 5 minutes, as Ory Hydra caps its grace period.
  REFRESH_REUSE_GRACE_SECONDS: int(0).max(300, "REFRESH_REUSE_GRACE_SECONDS must be at most 300 (5 minutes)").default(60),
  // Retries per rotation. Room for a burst of parallel refreshes that arrive just after the
  // rotation committed (they count; those in flight with it do not): 20 in parallel always pass.
  REFRESH_REUSE_GRACE_MAX: int(1).max(100, "REFRESH_REUSE_GRACE_MAX must be between 1 and 100").default(20),
  ADMIN_EMAIL: z.email("ADMIN_EMAIL must be an email address").optional(),
  ADMIN_PASSWORD: z.string().min(10, "ADMIN_PASSWORD must be at least 10 characters").optional(),
  TRUST_PROXY: z.string().optional(),
  LOG_LEVEL: logLevelSchema,
  LOG_FAILURES_PER_SECOND: failuresPerSecondSchema,
  // A bearer token for Prometheus: long enough that it cannot be guessed.
  METRICS_TOKEN: z.string().min(32, "METRICS_TOKEN must be at least 32 characters (e.g. openssl rand -hex 32)").optional(),
  SMTP_URL: z
    .url({ protocol: /^smtps?$/, error: "SMTP_URL must be an smtp:// (STARTTLS) or smtps:// (TLS) URL, e.g. smtp://user:pass@mail.example.com:587" })
    .refine((u) => Boolean(urlOf(u)?.hostname), "SMTP_URL must name a host, e.g. smtp://user:pass@mail.example.com:587")
    .optional(),
  MAIL_FROM: z
    .string()
    .trim()
    .max(320)
    .refine(isMailbox, "MAIL_FROM must be an address or a name and an address, e.g. Latchkey <no-reply@example.com>")
    .optional(),
  PASSWORD_RESET_TTL_SECONDS: int(60).max(86_400).default(1800),
  EMAIL_VERIFICATION_TTL_SECONDS: int(60).max(30 * 86_400).default(86_400),
  INVITE_TTL_SECONDS: int(60).max(90 * 86_400).default(7 * 86_400),
  EMAIL_LINKS_PER_ADDRESS: int(1).default(5),
  EMAIL_LINKS_PER_IP: int(1).default(30),
}).superRefine((e, ctx) => {
  try {
    parseTrustProxy(e.TRUST_PROXY);
  } catch (err) {
    ctx.addIssue({ code: "custom", path: ["TRUST_PROXY"], message: (err as Error).message.replace(/^TRUST_PROXY: /, "") });
  }
  try {
    parseTrustedDomains(e.CLIENT_METADATA_TRUSTED_DOMAINS);
  } catch (err) {
    ctx.addIssue({ code: "custom", path: ["CLIENT_METADATA_TRUSTED_DOMAINS"], message: (err as Error).message });
  }
  // node:http refuses a headers timeout longer than the request timeout.
  if (e.HEADERS_TIMEOUT_SECONDS > e.REQUEST_TIMEOUT_SECONDS) {
    ctx.addIssue({ code: "custom", path: ["HEADERS_TIMEOUT_SECONDS"], message: "HEADERS_TIMEOUT_SECONDS must not exceed REQUEST_TIMEOUT_SECONDS" });
  }
  // RFC 8414 §2 and OIDC Discovery §3: the issuer is an https URL. Plain http is kept for local
  // development, and in production only for a loopback host.
  const url = urlOf(e.ISSUER);
  if (e.NODE_ENV === "production" && url?.protocol === "http:" && !LOCAL_HOSTS.has(url.hostname)) {
    ctx.addIssue({
      code: "custom",
      path: ["ISSUER"],
      message: "ISSUER must use https in production (http is allowed only for localhost, 127.0.0.1 or [::1])",
    });
  }
  // draft-ietf-oauth-client-id-metadata-document §6.6: fetching from loopback or private
  // addresses MUST NOT be allowed in production deployments.
  if (e.NODE_ENV === "production" && e.CLIENT_METADATA_ALLOW_PRIVATE && url && !LOCAL_HOSTS.has(url.hostname)) {
    ctx.addIssue({
      code: "custom",
      path: ["CLIENT_METADATA_ALLOW_PRIVATE"],
      message: "CLIENT_METADATA_ALLOW_PRIVATE is for development: it is refused in production unless ISSUER is a loopback URL",
    });
  }
});

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = schema.safeParse(
    Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== "")),
  );
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  const issuer = e.ISSUER.replace(/\/+$/, "");
  const production = e.NODE_ENV === "production";
  const url = databaseUrl(env);
  let dbProvider: DbProvider;
  let limits: DatabaseLimits;
  try {
    dbProvider = databaseProvider(url);
    limits = databaseLimits(env);
  } catch (err) {
    throw new ConfigError((err as Error).message);
  }
  const dir = dataDir(env);
  const publicIssuer = !LOCAL_HOSTS.has(new URL(issuer).hostname);
  let secret = e.LATCHKEY_SECRET;
  if (!secret) {
    if (production && publicIssuer) {
      throw new ConfigError(
        `LATCHKEY_SECRET is required in production (ISSUER=${issuer}). Set it to a random value of ` +
          "at least 32 characters, e.g. LATCHKEY_SECRET=$(openssl rand -base64 48), and keep it " +
          "the same across restarts and instances.",
      );
    }
    secret = localSecret(dir);
  }
  if (e.ADMIN_EMAIL && !e.ADMIN_PASSWORD) throw new ConfigError("ADMIN_EMAIL is set: set ADMIN_PASSWORD too.");
  return {
    issuer,
    port: e.PORT,
    host: e.HOST,
    production,
    dataDir: dir,
    databaseUrl: url,
    dbProvider,
    databaseLimits: limits,
    secret,
    signupEnabled: e.SIGNUP_ENABLED,
    dashboardOpenToAll: e.DASHBOARD_OPEN_TO_ALL,
    openRegistration: e.OPEN_REGISTRATION,
    registrationAccessTokenTtlSeconds: e.REGISTRATION_ACCESS_TOKEN_TTL_SECONDS || null,
    openRegistrationUnusedTtlSeconds: e.OPEN_REGISTRATION_UNUSED_TTL_SECONDS || null,
    clientMetadata: {
      enabled: e.CLIENT_ID_METADATA_DOCUMENTS,
      trustedDomains: parseTrustedDomains(e.CLIENT_METADATA_TRUSTED_DOMAINS),
      allowPrivate: e.CLIENT_METADATA_ALLOW_PRIVATE,
      fetchesPerMinute: e.CLIENT_METADATA_FETCHES_PER_MINUTE,
    },
    sessionMaxAgeSeconds: e.SESSION_MAX_AGE_SECONDS,
    throttle: {
      slowAfter: e.LOGIN_SLOW_AFTER,
      backoffSeconds: e.LOGIN_BACKOFF_SECONDS,
      lockAfter: e.LOGIN_LOCK_AFTER,
      ipLockAfter: e.LOGIN_IP_LOCK_AFTER,
      lockSeconds: e.LOGIN_LOCK_SECONDS,
      windowSeconds: e.LOGIN_WINDOW_SECONDS,
    },
    signUpLimit: { perIp: e.SIGNUP_IP_LIMIT, windowSeconds: e.SIGNUP_IP_WINDOW_SECONDS },
    tokens: {
      authorizationCode: e.AUTH_CODE_TTL_SECONDS,
      accessToken: e.ACCESS_TOKEN_TTL_SECONDS,
      idToken: e.ID_TOKEN_TTL_SECONDS,
      refreshIdle: e.REFRESH_TOKEN_IDLE_SECONDS,
      refreshAbsolute: e.REFRESH_TOKEN_ABSOLUTE_SECONDS,
    },
    refreshReuseGrace: { seconds: e.REFRESH_REUSE_GRACE_SECONDS, max: e.REFRESH_REUSE_GRACE_MAX },
    admin: { email: e.ADMIN_EMAIL?.toLowerCase(), password: e.ADMIN_PASSWORD },
    trustProxy: parseTrustProxy(e.TRUST_PROXY),
    server: {
      maxBodyBytes: e.MAX_REQUEST_BODY_BYTES,
      headersTimeoutMs: e.HEADERS_TIMEOUT_SECONDS * 1000,
      requestTimeoutMs: e.REQUEST_TIMEOUT_SECONDS * 1000,
      keepAliveTimeoutMs: e.KEEP_ALIVE_TIMEOUT_SECONDS * 1000,
      maxConnections: e.MAX_CONNECTIONS,
    },
    retention: { purgeIntervalSeconds: e.PURGE_INTERVAL_SECONDS, auditDays: e.AUDIT_RETENTION_DAYS },
    anonymousWritesPerMinute: e.ANONYMOUS_WRITES_PER_MINUTE,
    shutdownGraceSeconds: e.SHUTDOWN_GRACE_SECONDS,

    rateLimits: {
      perClientPerMinute: e.RATE_LIMIT_PER_CLIENT,
      perAddressPerMinute: e.RATE_LIMIT_PER_ADDRESS,
      authFailuresPerClient: e.CLIENT_AUTH_FAILURES_PER_CLIENT,
      authFailuresPerAddress: e.CLIENT_AUTH_FAILURES_PER_ADDRESS,
      authFailureWindowSeconds: e.CLIENT_AUTH_FAILURE_WINDOW_SECONDS,
      syncMs: e.RATE_LIMIT_SYNC_MS,
      redisUrl: e.REDIS_URL ?? null,
      redisKeyPrefix: e.REDIS_KEY_PREFIX,
    },
    metricsToken: e.METRICS_TOKEN ?? null,
    mail: {
      smtpUrl: e.SMTP_URL ?? null,
      from: e.MAIL_FROM ?? `Latchkey <no-reply@${new URL(issuer).hostname.replace(/^\[|\]$/g, "")}>`,
      outboxDir: path.join(dir, "outbox"),
      printLinks: !production || !publicIssuer,
    },
    emailLinks: {
      resetSeconds: e.PASSWORD_RESET_TTL_SECONDS,
      verifySeconds: e.EMAIL_VERIFICATION_TTL_SECONDS,
      inviteSeconds: e.INVITE_TTL_SECONDS,
      perAddressPerHour: e.EMAIL_LINKS_PER_ADDRESS,
      perIpPerHour: e.EMAIL_LINKS_PER_IP,
    },
  };
}

/**
 * Where the server listens: HOST if set; otherwise the loopback address in development and
 * whenever ISSUER is a loopback URL (the default: nobody else could use it by that name
 * anyway), and every IPv4 interface (0.0.0.0, what a container needs) when ISSUER names a
 * public host.
 */
export function listenHost(cfg: Pick<AppConfig, "host" | "issuer">, dev: boolean): string {
  if (cfg.host) return cfg.host;
  return dev || LOCAL_HOSTS.has(new URL(cfg.issuer).hostname) ? "127.0.0.1" : "0.0.0.0";
}

/**
 * `-p`/`--port` and `-H`/`--hostname` (as `next start` takes them) over PORT and HOST: the
 * environment with the flags applied. Throws a ConfigError for a flag without a value.
 */
export function applyListenFlags(argv: string[], env: Record<string, string | undefined>): Record<string, string | undefined> {
  const out = { ...env };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    const name = flag === "-p" || flag === "--port" ? "PORT" : flag === "-H" || flag === "--hostname" ? "HOST" : null;
    if (!name) continue;
    const value = inline ?? argv[++i];
    if (value === undefined || value === "" || value.startsWith("-")) throw new ConfigError(`${flag} needs a value`);
    out[name] = value;
  }
  return out;
}

/** The secret generated into DATA_DIR/secret (mode 0600) on first local run. */
function localSecret(dir: string): string {
  const file = path.join(dir, "secret");
  mkdirSync(dir, { recursive: true });
  try {
    // "wx": create only if absent, so two processes starting at once agree on one secret.
    writeFileSync(file, `${randomBytes(48).toString("base64url")}\n`, { flag: "wx", mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  }
  chmodSync(file, 0o600);
  const secret = readFileSync(file, "utf8").trim();
  if (secret.length < 32) throw new ConfigError(`${file} holds too short a secret; delete it to regenerate.`);
  return secret;
}

let cached: AppConfig | undefined;
export function getConfig(): AppConfig {
  cached ??= loadConfig();
  return cached;
}
