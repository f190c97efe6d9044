// Configuration from the environment: defaults, the provider switch, the secret rules, and a
// ConfigError that names the variable to fix. A fresh DATA_DIR per test.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./index";
import { logSettings } from "./log-settings";

const SECRET = "s".repeat(40);
/** An environment for loadConfig (NODE_ENV "test" unless given). */
const env = (vars: Record<string, string>) => ({ NODE_ENV: "test", ...vars }) as NodeJS.ProcessEnv;
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "latchkey-config-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** The ConfigError loadConfig throws for `env`. */
function configError(vars: Record<string, string>): ConfigError {
  try {
    loadConfig(env(vars));
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(vars)}`);
}

const secretFile = () => path.join(dir, "secret");

describe("loadConfig defaults", () => {
  it("issuer http://localhost:3000, port 3000, SQLite under DATA_DIR, not production", () => {
    const c = loadConfig(env({ DATA_DIR: dir, LATCHKEY_SECRET: SECRET }));
    expect(c.issuer).toBe("http://localhost:3000");
    expect(c.port).toBe(3000);
    expect(c.dataDir).toBe(dir);
    expect(c.databaseUrl).toBe(`file:${path.join(dir, "latchkey.db")}`);
    expect(c.dbProvider).toBe("sqlite");
    expect(c.production).toBe(false);
    expect(c.secret).toBe(SECRET);
    expect(c.throttle).toStrictEqual({ slowAfter: 3, backoffSeconds: 1, lockAfter: 10, ipLockAfter: 50, lockSeconds: 900, windowSeconds: 900 });
    expect(c.admin).toStrictEqual({ email: undefined, password: undefined });
    expect(c.tokens).toStrictEqual({ authorizationCode: 60, accessToken: 600, idToken: 3600, refreshIdle: 14 * 86_400, refreshAbsolute: 90 * 86_400 });
    expect(c.refreshReuseGrace).toStrictEqual({ seconds: 60, max: 20 });
  });

  it("refresh reuse grace: 0 turns it off; more than 300 s or a count of 0 is refused, naming the variable", () => {
    const base = { DATA_DIR: dir, LATCHKEY_SECRET: SECRET };
    expect(loadConfig(env({ ...base, REFRESH_REUSE_GRACE_SECONDS: "0", REFRESH_REUSE_GRACE_MAX: "3" })).refreshReuseGrace).toStrictEqual({ seconds: 0, max: 3 });
    expect(loadConfig(env({ ...base, REFRESH_REUSE_GRACE_SECONDS: "300" })).refreshReuseGrace.seconds).toBe(300);
    expect(configError({ ...base, REFRESH_REUSE_GRACE_SECONDS: "301" }).message).toContain("REFRESH_REUSE_GRACE_SECONDS must be at most 300 (5 minutes)");
    expect(configError({ ...base, REFRESH_REUSE_GRACE_MAX: "0" }).message).toContain("REFRESH_REUSE_GRACE_MAX");
  });

  it("empty values count as unset", () => {
    const c = loadConfig(env({ DATA_DIR: dir, LATCHKEY_SECRET: SECRET, ISSUER: "", PORT: "", DATABASE_URL: "" }));
    expect(c.issuer).toBe("http://localhost:3000");
    expect(c.port).toBe(3000);
    expect(c.dbProvider).toBe("sqlite");
  });

  it("drops a trailing slash from ISSUER and reads PORT", () => {
    const c = loadConfig(env({ DATA_DIR: dir, LATCHKEY_SECRET: SECRET, ISSUER: "https://id.example.com/", PORT: "8080" }));
    expect(c.issuer).toBe("https://id.example.com");
    expect(c.port).toBe(8080);
  });
});

describe("database timeouts (DB_*_MS)", () => {
  it("default to 3 s connect (and pool wait), 5 s statement, 10 s idle in transaction, 5 s SQLite busy retry", () => {
    const c = loadConfig(env({ DATA_DIR: dir, LATCHKEY_SECRET: SECRET }));
    expect(c.databaseLimits).toStrictEqual({ connectTimeoutMs: 3000, statementTimeoutMs: 5000, idleInTransactionTimeoutMs: 10_000, busyRetryMs: 5000 });
  });

  it("are read from the environment", () => {
    const c = loadConfig(
      env({ DATA_DIR: dir, LATCHKEY_SECRET: SECRET, DB_CONNECT_TIMEOUT_MS: "1000", DB_STATEMENT_TIMEOUT_MS: "2000", DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: "3000", DB_BUSY_RETRY_MS: "400" }),
    );
    expect(c.databaseLimits).toStrictEqual({ connectTimeoutMs: 1000, statementTimeoutMs: 2000, idleInTransactionTimeoutMs: 3000, busyRetryMs: 400 });
  });

  it.each(["0", "abc", "1.5", "700000"])("%s is a ConfigError naming the variable", (v) => {
    expect(configError({ DATA_DIR: dir, LATCHKEY_SECRET: SECRET, DB_STATEMENT_TIMEOUT_MS: v }).message).toContain(
      "DB_STATEMENT_TIMEOUT_MS must be a whole number of milliseconds from 100 to 600000",
    );
  });
});

describe("DATABASE_URL", () => {
  it.each(["postgresql://latchkey@db.internal:5432/latchkey", "postgres://latchkey@db.internal/latchkey"])(
    "%s selects PostgreSQL and is kept as given",
    (url) => {
      const c = loadConfig(env({ DATA_DIR: dir, LATCHKEY_SECRET: SECRET, DATABASE_URL: url }));
      expect(c.dbProvider).toBe("postgres");
      expect(c.databaseUrl).toBe(url);
    },
  );

  it("a relative file: URL is made absolute and selects SQLite", () => {
    const c = loadConfig(env({ DATA_DIR: dir, LATCHKEY_SECRET: SECRET, DATABASE_URL: "file:./x.db" }));
    expect(c.dbProvider).toBe("sqlite");
    expect(c.databaseUrl).toBe(`file:${path.resolve("x.db")}`);
  });

  it("another scheme is a ConfigError naming DATABASE_URL", () => {
    expect(configError({ DATA_DIR: dir, LATCHKEY_SECRET: SECRET, DATABASE_URL: "mysql://x/y" }).message).toContain(
      "DATABASE_URL",
    );
  });
});

describe("the secret", () => {
  it("production with a public ISSUER and no LATCHKEY_SECRET: ConfigError naming LATCHKEY_SECRET, no file written", () => {
    const e = configError({ NODE_ENV: "production", ISSUER: "https://id.example.com", DATA_DIR: dir });
    expect(e.message).toContain("LATCHKEY_SECRET");
    expect(existsSync(secretFile())).toBe(false);
  });

  it("production with a public ISSUER uses LATCHKEY_SECRET and writes no file", () => {
    const c = loadConfig(env({ NODE_ENV: "production", ISSUER: "https://id.example.com", LATCHKEY_SECRET: SECRET, DATA_DIR: dir }));
    expect(c.production).toBe(true);
    expect(c.secret).toBe(SECRET);
    expect(existsSync(secretFile())).toBe(false);
  });

  it.each(["http://localhost:3000", "http://127.0.0.1:3000", "http://[::1]:3000"])(
    "production with the local ISSUER %s generates DATA_DIR/secret",
    (issuer) => {
      const c = loadConfig(env({ NODE_ENV: "production", ISSUER: issuer, DATA_DIR: dir }));
      expect(existsSync(secretFile())).toBe(true);
      expect(c.secret).toBe(readFileSync(secretFile(), "utf8").trim());
    },
  );

  it("the generated secret file has mode 0600, at least 32 characters, and is reused on the next load", () => {
    const first = loadConfig(env({ DATA_DIR: dir }));
    expect(statSync(secretFile()).mode & 0o777).toBe(0o600);
    expect(first.secret.length).toBeGreaterThanOrEqual(32);
    expect(readFileSync(secretFile(), "utf8").trim()).toBe(first.secret);
    const second = loadConfig(env({ DATA_DIR: dir }));
    expect(second.secret).toBe(first.secret);
  });

  it("two data directories get two different secrets", () => {
    const other = mkdtempSync(path.join(tmpdir(), "latchkey-config-"));
    try {
      expect(loadConfig(env({ DATA_DIR: dir })).secret).not.toBe(loadConfig(env({ DATA_DIR: other })).secret);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it("an existing secret file readable by others is tightened to 0600", () => {
    writeFileSync(secretFile(), `${"k".repeat(40)}\n`, { mode: 0o644 });
    const c = loadConfig(env({ DATA_DIR: dir }));
    expect(c.secret).toBe("k".repeat(40));
    expect(statSync(secretFile()).mode & 0o777).toBe(0o600);
  });

  it("a too-short secret file is a ConfigError", () => {
    writeFileSync(secretFile(), "short\n", { mode: 0o600 });
    expect(configError({ DATA_DIR: dir }).message).toContain(secretFile());
  });

  it("a LATCHKEY_SECRET under 32 characters is a ConfigError naming LATCHKEY_SECRET", () => {
    expect(configError({ DATA_DIR: dir, LATCHKEY_SECRET: "x".repeat(31) }).message).toContain("LATCHKEY_SECRET");
  });
});

describe("invalid values name the variable", () => {
  it.each(["ftp://x", "not a url", "https://id.example.com/?tenant=a", "https://id.example.com/#f"])(
    "ISSUER=%s",
    (issuer) => {
      expect(configError({ DATA_DIR: dir, LATCHKEY_SECRET: SECRET, ISSUER: issuer }).message).toContain("ISSUER");
    },
  );

  it("ISSUER with a query says why (RFC 8414 §2)", () => {
    const m = configError({ DATA_DIR: dir, LATCHKEY_SECRET: SECRET, ISSUER: "https://id.example.com/?a=1" }).message;
    expect(m).toContain("ISSUER: ISSUER must not have a query or fragment");
  });

  it("ISSUER with a path is refused, naming ISSUER and saying the endpoints are at the root", () => {
    const m = configError({ DATA_DIR: dir, LATCHKEY_SECRET: SECRET, ISSUER: "https://id.example.com/auth" }).message;
    expect(m).toContain(
      "ISSUER: ISSUER must not have a path: Latchkey serves its endpoints at the root, so use the origin, e.g. https://id.example.com",
    );
  });

  it("ISSUER with only the path / is accepted and normalised to the origin", () => {
    const c = loadConfig(env({ DATA_DIR: dir, LATCHKEY_SECRET: SECRET, ISSUER: "https://id.example.com/" }));
    expect(c.issuer).toBe("https://id.example.com");
  });

  it("production with an http ISSUER on a public host is refused, naming ISSUER", () => {
    const m = configError({ NODE_ENV: "production", DATA_DIR: dir, LATCHKEY_SECRET: SECRET, ISSUER: "http://id.example.com" })
      .message;
    expect(m).toContain("ISSUER: ISSUER must use https in production (http is allowed only for localhost, 127.0.0.1 or [::1])");
  });

  it("production with http://localhost:3000 is accepted", () => {
    const c = loadConfig(env({ NODE_ENV: "production", DATA_DIR: dir, LATCHKEY_SECRET: SECRET, ISSUER: "http://localhost:3000" }));
    expect([c.production, c.issuer]).toEqual([true, "http://localhost:3000"]);
  });

  it("outside production an http ISSUER on a public host is accepted", () => {
    const c = loadConfig(env({ DATA_DIR: dir, LATCHKEY_SECRET: SECRET, ISSUER: "http://id.example.com" }));
    expect([c.production, c.issuer]).toEqual([false, "http://id.example.com"]);
  });

  it.each(["0", "65536", "abc", "80.5", "-1"])("PORT=%s", (port) => {
    expect(configError({ DATA_DIR: dir, LATCHKEY_SECRET: SECRET, PORT: port }).message).toContain("PORT");
  });

  it("ADMIN_EMAIL without ADMIN_PASSWORD", () => {
    expect(configError({ DATA_DIR: dir, LATCHKEY_SECRET: SECRET, ADMIN_EMAIL: "boss@example.com" }).message).toContain(
      "ADMIN_PASSWORD",
    );
  });

  it("ADMIN_EMAIL that is not an email", () => {
    const m = configError({ DATA_DIR: dir, LATCHKEY_SECRET: SECRET, ADMIN_EMAIL: "boss", ADMIN_PASSWORD: "p".repeat(12) })
      .message;
    expect(m).toContain("ADMIN_EMAIL");
  });

  it("ADMIN_EMAIL and ADMIN_PASSWORD together are accepted, the email lower-cased", () => {
    const c = loadConfig(env({ DATA_DIR: dir, LATCHKEY_SECRET: SECRET, ADMIN_EMAIL: "Boss@Example.com", ADMIN_PASSWORD: "p".repeat(12) }));
    expect(c.admin).toStrictEqual({ email: "boss@example.com", password: "p".repeat(12) });
  });
});

describe("token lifetimes", () => {
  it("refuses an authorization code lifetime over 10 minutes (RFC 6749 §4.1.2)", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "latchkey-config-"));
    expect(() => loadConfig(env({ DATA_DIR: dir, LATCHKEY_SECRET: "x".repeat(40), AUTH_CODE_TTL_SECONDS: "601" }))).toThrow(
      /AUTH_CODE_TTL_SECONDS must be at most 600/,
    );
    expect(loadConfig(env({ DATA_DIR: dir, LATCHKEY_SECRET: "x".repeat(40), AUTH_CODE_TTL_SECONDS: "600" })).tokens.authorizationCode).toBe(600);
  });
});

describe("SQLITE_SYNCHRONOUS", () => {
  it("accepts FULL or NORMAL and refuses anything else, naming the variable", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "latchkey-config-"));
    const base = { DATA_DIR: dir, LATCHKEY_SECRET: "x".repeat(40) };
    expect(() => loadConfig(env({ ...base, SQLITE_SYNCHRONOUS: "FULL" }))).not.toThrow();
    expect(() => loadConfig(env({ ...base, SQLITE_SYNCHRONOUS: "OFF" }))).toThrow(/SQLITE_SYNCHRONOUS must be FULL or NORMAL/);
  });
});

describe("TRUST_PROXY", () => {
  const base = () => ({ DATA_DIR: dir, LATCHKEY_SECRET: SECRET });
  it("defaults to trusting no proxy; true is one hop; numbers and lists are read", () => {
    expect(loadConfig(env(base())).trustProxy).toStrictEqual({ kind: "none" });
    expect(loadConfig(env({ ...base(), TRUST_PROXY: "true" })).trustProxy).toStrictEqual({ kind: "hops", hops: 1 });
    expect(loadConfig(env({ ...base(), TRUST_PROXY: "2" })).trustProxy).toStrictEqual({ kind: "hops", hops: 2 });
    expect(loadConfig(env({ ...base(), TRUST_PROXY: "10.0.0.0/8,::1" })).trustProxy.kind).toBe("list");
  });

  it("a bad value stops start-up with a message naming TRUST_PROXY", () => {
    const m = configError({ ...base(), TRUST_PROXY: "loadbalancer" }).message;
    expect(m).toContain("  TRUST_PROXY: \"loadbalancer\" is not an IP address or CIDR range.");
  });
});

describe("client ID metadata documents and open registration", () => {
  const base = () => ({ DATA_DIR: dir, LATCHKEY_SECRET: SECRET });

  it("defaults: documents on, any public host, no private addresses, 30 fetches a minute; unused open clients go after 24 h", () => {
    const c = loadConfig(env(base()));
    expect(c.clientMetadata).toStrictEqual({ enabled: true, trustedDomains: [], allowPrivate: false, fetchesPerMinute: 30 });
    expect(c.openRegistrationUnusedTtlSeconds).toBe(86_400);
    expect(loadConfig(env({ ...base(), OPEN_REGISTRATION_UNUSED_TTL_SECONDS: "0" })).openRegistrationUnusedTtlSeconds).toBeNull();
  });

  it("reads the switches and the trusted domains", () => {
    const c = loadConfig(
      env({ ...base(), CLIENT_ID_METADATA_DOCUMENTS: "false", CLIENT_METADATA_TRUSTED_DOMAINS: "example.com, *.example.org", CLIENT_METADATA_ALLOW_PRIVATE: "1", CLIENT_METADATA_FETCHES_PER_MINUTE: "5" }),
    );
    expect(c.clientMetadata).toStrictEqual({ enabled: false, trustedDomains: ["example.com", "*.example.org"], allowPrivate: true, fetchesPerMinute: 5 });
  });

  it("a bad trusted-domain pattern names CLIENT_METADATA_TRUSTED_DOMAINS", () => {
    expect(configError({ ...base(), CLIENT_METADATA_TRUSTED_DOMAINS: "example.com,https://x.org" }).message).toContain(
      '  CLIENT_METADATA_TRUSTED_DOMAINS: "https://x.org" is not a host name or *.host pattern',
    );
  });

  it("CLIENT_METADATA_ALLOW_PRIVATE is refused in production with a public ISSUER (draft §6.6), allowed with a loopback one", () => {
    expect(
      configError({ ...base(), NODE_ENV: "production", ISSUER: "https://id.example.com", CLIENT_METADATA_ALLOW_PRIVATE: "true" }).message,
    ).toContain("  CLIENT_METADATA_ALLOW_PRIVATE: CLIENT_METADATA_ALLOW_PRIVATE is for development: it is refused in production unless ISSUER is a loopback URL");
    expect(loadConfig(env({ ...base(), NODE_ENV: "production", CLIENT_METADATA_ALLOW_PRIVATE: "true" })).clientMetadata.allowPrivate).toBe(true);
  });
});

describe("logs and metrics (issue 18 §4)", () => {
  const load = (vars: Record<string, string>) => loadConfig(env({ DATA_DIR: dir, LATCHKEY_SECRET: SECRET, ...vars }));

  it("defaults: metrics off, LOG_LEVEL info, 10 failure lines per second and kind", () => {
    expect(load({}).metricsToken).toBeNull();
    expect(logSettings({} as NodeJS.ProcessEnv)).toEqual({ level: "info", perSecond: 10 });
  });

  it("METRICS_TOKEN turns /metrics on; shorter than 32 characters is a ConfigError naming it", () => {
    expect(load({ METRICS_TOKEN: "t".repeat(32) }).metricsToken).toBe("t".repeat(32));
    expect(configError({ METRICS_TOKEN: "short" }).message).toMatch(/METRICS_TOKEN: METRICS_TOKEN must be at least 32 characters/);
  });

  it("LOG_LEVEL and LOG_FAILURES_PER_SECOND: a bad value stops start-up, naming the variable", () => {
    expect(configError({ LOG_LEVEL: "verbose" }).message).toMatch(/LOG_LEVEL: LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent/);
    expect(configError({ LOG_FAILURES_PER_SECOND: "-1" }).message).toMatch(/LOG_FAILURES_PER_SECOND/);
    expect(logSettings({ LOG_LEVEL: "warn", LOG_FAILURES_PER_SECOND: "0" } as unknown as NodeJS.ProcessEnv)).toEqual({ level: "warn", perSecond: 0 });
  });
});

describe("mail (SMTP_URL, MAIL_FROM) and emailed links", () => {
  it("defaults: the outbox under DATA_DIR, links printed on a loopback issuer, From no-reply@<issuer host>, TTLs 30 min / 1 day / 7 days", () => {
    const c = loadConfig(env({ DATA_DIR: dir }));
    expect(c.mail).toEqual({ smtpUrl: null, from: "Latchkey <no-reply@localhost>", outboxDir: path.join(dir, "outbox"), printLinks: true });
    expect(c.emailLinks).toEqual({ resetSeconds: 1800, verifySeconds: 86_400, inviteSeconds: 604_800, perAddressPerHour: 5, perIpPerHour: 30 });
  });

  it("production on a public issuer does not print links; SMTP_URL and MAIL_FROM are read", () => {
    const c = loadConfig(
      env({ NODE_ENV: "production", DATA_DIR: dir, LATCHKEY_SECRET: SECRET, ISSUER: "https://id.example.com", SMTP_URL: "smtps://u:p@mail.example.com:465", MAIL_FROM: "Example ID <id@example.com>" }),
    );
    expect(c.mail).toMatchObject({ smtpUrl: "smtps://u:p@mail.example.com:465", from: "Example ID <id@example.com>", printLinks: false });
    expect(loadConfig(env({ NODE_ENV: "production", DATA_DIR: dir, LATCHKEY_SECRET: SECRET, ISSUER: "https://id.example.com" })).mail.from).toBe(
      "Latchkey <no-reply@id.example.com>",
    );
  });

  it.each(["http://mail.example.com", "mail.example.com:587", "smtp://", "ftp://u:p@x"])("SMTP_URL=%s is refused, naming SMTP_URL", (v) => {
    expect(configError({ DATA_DIR: dir, SMTP_URL: v }).message).toContain("SMTP_URL: SMTP_URL must");
  });

  it.each(["not an address", "Name <no-at-sign>", "a@example.com\r\nBcc: x@evil.test", "<a@example.com> <b@example.com>"])(
    "MAIL_FROM=%j is refused, naming MAIL_FROM",
    (v) => {
      expect(configError({ DATA_DIR: dir, MAIL_FROM: v }).message).toContain("MAIL_FROM: MAIL_FROM must be an address");
    },
  );

  it("a link lifetime out of range names its variable", () => {
    expect(configError({ DATA_DIR: dir, PASSWORD_RESET_TTL_SECONDS: "10" }).message).toContain("PASSWORD_RESET_TTL_SECONDS");
    expect(configError({ DATA_DIR: dir, INVITE_TTL_SECONDS: "nope" }).message).toContain("INVITE_TTL_SECONDS");
  });
});
