// Where the server listens (HOST, -H/-p) and its limits: defaults, overrides, refusals.
import { describe, expect, it } from "vitest";
import { applyListenFlags, ConfigError, listenHost, loadConfig } from "./index";

const SECRET = "s".repeat(40);
const env = (vars: Record<string, string>) => ({ NODE_ENV: "test", LATCHKEY_SECRET: SECRET, DATA_DIR: "/tmp/latchkey-unused", ...vars }) as NodeJS.ProcessEnv;

describe("listenHost", () => {
  it("defaults to 127.0.0.1 for the default (loopback) issuer, in development and production", () => {
    const c = loadConfig(env({}));
    expect(c.host).toBeUndefined();
    expect(listenHost(c, true)).toBe("127.0.0.1");
    expect(listenHost(c, false)).toBe("127.0.0.1");
    expect(listenHost(loadConfig(env({ ISSUER: "http://127.0.0.1:4000" })), false)).toBe("127.0.0.1");
  });

  it("defaults to 0.0.0.0 in production when ISSUER names a public host, 127.0.0.1 in development", () => {
    const c = loadConfig(env({ ISSUER: "https://id.example.com" }));
    expect(listenHost(c, false)).toBe("0.0.0.0");
    expect(listenHost(c, true)).toBe("127.0.0.1");
  });

  it("HOST wins", () => {
    expect(listenHost(loadConfig(env({ HOST: "::" })), true)).toBe("::");
    expect(listenHost(loadConfig(env({ HOST: "10.0.0.5", ISSUER: "https://id.example.com" })), false)).toBe("10.0.0.5");
  });
});

describe("applyListenFlags", () => {
  it("-p/-H and --port/--hostname (also with =) override PORT and HOST", () => {
    expect(applyListenFlags(["--dev", "-p", "4000", "-H", "0.0.0.0"], { PORT: "3000", HOST: "127.0.0.1" })).toMatchObject({ PORT: "4000", HOST: "0.0.0.0" });
    expect(applyListenFlags(["--port=4001", "--hostname", "::1"], {})).toMatchObject({ PORT: "4001", HOST: "::1" });
    expect(applyListenFlags([], { PORT: "3000" })).toEqual({ PORT: "3000" });
  });

  it("a flag without a value is a ConfigError naming it", () => {
    expect(() => applyListenFlags(["-p"], {})).toThrow(new ConfigError("-p needs a value"));
    expect(() => applyListenFlags(["-H", "--dev"], {})).toThrow(new ConfigError("-H needs a value"));
  });

  it("the port from a flag is validated like PORT", () => {
    expect(() => loadConfig(env({ PORT: applyListenFlags(["-p", "70000"], {}).PORT! }))).toThrow(/PORT/);
  });
});

describe("server limits and retention", () => {
  it("defaults: 64 KiB bodies, 10 s headers, 30 s request, 5 s keep-alive, 1000 connections; purge every 5 min, audit 365 days, 60 anonymous writes a minute", () => {
    const c = loadConfig(env({}));
    expect(c.server).toStrictEqual({ maxBodyBytes: 65536, headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, keepAliveTimeoutMs: 5000, maxConnections: 1000 });
    expect(c.retention).toStrictEqual({ purgeIntervalSeconds: 300, auditDays: 365 });
    expect(c.anonymousWritesPerMinute).toBe(60);
  });

  it("reads every variable", () => {
    const c = loadConfig(
      env({
        MAX_REQUEST_BODY_BYTES: "2048",
        HEADERS_TIMEOUT_SECONDS: "2",
        REQUEST_TIMEOUT_SECONDS: "3",
        KEEP_ALIVE_TIMEOUT_SECONDS: "4",
        MAX_CONNECTIONS: "50",
        PURGE_INTERVAL_SECONDS: "0",
        AUDIT_RETENTION_DAYS: "0",
        ANONYMOUS_WRITES_PER_MINUTE: "7",
      }),
    );
    expect(c.server).toStrictEqual({ maxBodyBytes: 2048, headersTimeoutMs: 2000, requestTimeoutMs: 3000, keepAliveTimeoutMs: 4000, maxConnections: 50 });
    expect(c.retention).toStrictEqual({ purgeIntervalSeconds: 0, auditDays: 0 });
    expect(c.anonymousWritesPerMinute).toBe(7);
  });

  it("refuses a headers timeout longer than the request timeout, and nonsense, naming the variable", () => {
    expect(() => loadConfig(env({ HEADERS_TIMEOUT_SECONDS: "40" }))).toThrow(/HEADERS_TIMEOUT_SECONDS: HEADERS_TIMEOUT_SECONDS must not exceed REQUEST_TIMEOUT_SECONDS/);
    expect(() => loadConfig(env({ MAX_REQUEST_BODY_BYTES: "100" }))).toThrow(/MAX_REQUEST_BODY_BYTES/);
    expect(() => loadConfig(env({ MAX_CONNECTIONS: "lots" }))).toThrow(/MAX_CONNECTIONS/);
    expect(() => loadConfig(env({ AUDIT_RETENTION_DAYS: "-1" }))).toThrow(/AUDIT_RETENTION_DAYS/);
  });
});

describe("SHUTDOWN_GRACE_SECONDS", () => {
  it("defaults to 25 s (below the 30 s process managers commonly wait), takes 0 and refuses nonsense", () => {
    expect(loadConfig(env({})).shutdownGraceSeconds).toBe(25);
    expect(loadConfig(env({ SHUTDOWN_GRACE_SECONDS: "0" })).shutdownGraceSeconds).toBe(0);
    expect(loadConfig(env({ SHUTDOWN_GRACE_SECONDS: "60" })).shutdownGraceSeconds).toBe(60);
    expect(() => loadConfig(env({ SHUTDOWN_GRACE_SECONDS: "-1" }))).toThrow(/SHUTDOWN_GRACE_SECONDS/);
    expect(() => loadConfig(env({ SHUTDOWN_GRACE_SECONDS: "soon" }))).toThrow(/SHUTDOWN_GRACE_SECONDS/);
  });
});

describe("rate limits", () => {
  it("defaults: 6000 a minute per client and 12,000 per address per endpoint, 10 failed client authentications per client and 30 per address in 5 minutes, a 1 s sync, counters in the database", () => {
    expect(loadConfig(env({})).rateLimits).toStrictEqual({
      perClientPerMinute: 6000,
      perAddressPerMinute: 12_000,
      authFailuresPerClient: 10,
      authFailuresPerAddress: 30,
      authFailureWindowSeconds: 300,
      syncMs: 1000,
      redisUrl: null,
      redisKeyPrefix: "latchkey:",
    });
  });

  it("reads every variable; 0 turns a limit off", () => {
    const c = loadConfig(
      env({
        RATE_LIMIT_PER_CLIENT: "0",
        RATE_LIMIT_PER_ADDRESS: "100",
        CLIENT_AUTH_FAILURES_PER_CLIENT: "5",
        CLIENT_AUTH_FAILURES_PER_ADDRESS: "0",
        CLIENT_AUTH_FAILURE_WINDOW_SECONDS: "60",
        RATE_LIMIT_SYNC_MS: "250",
        REDIS_URL: "redis://127.0.0.1:6379/2",
        REDIS_KEY_PREFIX: "lk-a:",
      }),
    );
    expect(c.rateLimits).toStrictEqual({
      perClientPerMinute: 0,
      perAddressPerMinute: 100,
      authFailuresPerClient: 5,
      authFailuresPerAddress: 0,
      authFailureWindowSeconds: 60,
      syncMs: 250,
      redisUrl: "redis://127.0.0.1:6379/2",
      redisKeyPrefix: "lk-a:",
    });
  });

  it("refuses a REDIS_URL that is not redis:// and a sync interval out of range, naming the variable", () => {
    expect(() => loadConfig(env({ REDIS_URL: "http://127.0.0.1:6379" }))).toThrow(/REDIS_URL: REDIS_URL must be a redis:\/\/ or rediss:\/\/ URL/);
    expect(() => loadConfig(env({ RATE_LIMIT_SYNC_MS: "10" }))).toThrow(/RATE_LIMIT_SYNC_MS/);
    expect(() => loadConfig(env({ RATE_LIMIT_PER_CLIENT: "-1" }))).toThrow(/RATE_LIMIT_PER_CLIENT/);
  });
});
