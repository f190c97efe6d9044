// Latchkey as `npm start` serves it in production (the `npm run build` output), on a fresh SQLite
// file or a fresh PostgreSQL database, plus what the scenarios need: a client (CLI), a user
// (CLI), a signed-in portal session whose consent is already given, and a next-auth CSRF pair.
import { randomBytes } from "node:crypto";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { CookieJar, describe, fetchRaw, form, pkcePair, randomState } from "./http";
import { authorizeQuery, codeFromRedirect, type AuthorizeEndpoint, type SignInEndpoint } from "./load";
import {
  freePort,
  listenerPid,
  memoryOf,
  onCleanup,
  registerTempDir,
  removeTempDir,
  ROOT,
  startChild,
  stopChild,
  waitForHttp,
} from "./proc";
import { BENCH_RESOURCE, tokenEndpoint, type Target } from "./target";

export const SESSION_COOKIE = "next-auth.session-token";
const SIGN_IN_PATH = "/api/auth/callback/credentials";

export interface LatchkeyOptions {
  db: "sqlite" | "postgres";
  /** A PostgreSQL server URL whose user may CREATE and DROP databases. */
  pgServerUrl: string;
  redirectUri: string;
  scope: string;
  /** The port to listen on (default: a free one). */
  port?: number;
}

/** `npm run --silent cli -- <args>` with the server's environment; its one JSON object. */
export function cli<T>(env: NodeJS.ProcessEnv, args: string[]): Promise<T> {
  return new Promise((resolve, reject) => {
    const p = spawn("npm", ["run", "--silent", "cli", "--", ...args], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    p.stdout.on("data", (c: Buffer) => (out += c.toString()));
    p.stderr.on("data", (c: Buffer) => (err += c.toString()));
    p.on("error", reject);
    p.on("exit", (code) => {
      if (code !== 0) return reject(new Error(`cli ${args.slice(0, 2).join(" ")} exited ${code}: ${err.trim() || out.trim()}`));
      try {
        resolve(JSON.parse(out) as T);
      } catch {
        reject(new Error(`cli ${args.slice(0, 2).join(" ")} printed no JSON: ${out.slice(0, 300)}`));
      }
    });
  });
}

async function createPgDatabase(serverUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `latchkey_bench_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  let dropped = false;
  const drop = async () => {
    if (dropped) return;
    dropped = true;
    const c = new pg.Client({ connectionString: serverUrl });
    await c.connect();
    try {
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    } finally {
      await c.end();
    }
  };
  return { url: url.toString(), drop };
}

/** Grants consent directly in the database (the consent screen is a server action). */
export async function grantConsent(databaseUrl: string, clientId: string, userId: string, scopes: string[]): Promise<void> {
  const { createDb } = await import("../../lib/db/client");
  const { protocolStores } = await import("../../lib/db/protocol");
  const { createSql } = await import("../../lib/db/protocol/sql");
  const db = createDb(databaseUrl);
  const sql = createSql(databaseUrl);
  try {
    const client = await db.client.findUnique({ where: { clientId } });
    if (!client) throw new Error(`client ${clientId} not found in the database`);
    await protocolStores(db, sql).consents.grant(userId, client.id, scopes);
  } finally {
    await sql.close();
    await db.$disconnect();
  }
}

/**
 * The environment of a server under load from one client and one address (the bench, the fault
 * scripts): sign-in throttling off, and the rate limits on (every token request is counted, the
 * counters synced every second) with budgets no load run reaches. What the limiter costs is then
 * part of every figure.
 */
export const LOAD_TEST_LIMITS = {
  LOGIN_SLOW_AFTER: "1000000",
  LOGIN_LOCK_AFTER: "1000000",
  LOGIN_IP_LOCK_AFTER: "1000000",
  RATE_LIMIT_PER_CLIENT: "1000000000",
  RATE_LIMIT_PER_ADDRESS: "1000000000",
  NEXT_TELEMETRY_DISABLED: "1",
} as const;
export async function startLatchkey(opts: LatchkeyOptions): Promise<Target> {
  const label = opts.db === "sqlite" ? "latchkey-sqlite" : "latchkey-postgres";
  const port = opts.port ?? (await freePort());
  const origin = `http://127.0.0.1:${port}`;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "latchkey-bench-"));
  registerTempDir(dataDir);
  let databaseUrl = `file:${path.join(dataDir, "latchkey.db")}`;
  let dropDb: (() => Promise<void>) | undefined;
  let unregisterDrop: (() => void) | undefined;
  if (opts.db === "postgres") {
    const created = await createPgDatabase(opts.pgServerUrl);
    databaseUrl = created.url;
    dropDb = created.drop;
    unregisterDrop = onCleanup(created.drop);
  }

  const admin = { email: "admin@bench.invalid", password: randomBytes(18).toString("base64url") };
  const { DATABASE_URL: _ignored, ...inherited } = process.env;
  const env: NodeJS.ProcessEnv = {
    ...inherited,
    NODE_ENV: "production",
    PORT: String(port),
    ISSUER: origin,
    DATA_DIR: dataDir,
    ...(opts.db === "postgres" ? { DATABASE_URL: databaseUrl } : {}),
    ADMIN_EMAIL: admin.email,
    ADMIN_PASSWORD: admin.password,
    ...LOAD_TEST_LIMITS,
  };

  // What `npm start` runs: package.json's start script through sh with node_modules/.bin on
  // PATH, as npm runs it, without npm itself in between (the script execs node, so the child
  // is the server itself). RSS is read from the process in this
  // tree that holds the listening socket.
  const startScript = (JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: { start: string } }).scripts.start;
  const child = startChild(label, "/bin/sh", ["-c", startScript], {
    env: { ...env, PATH: `${path.join(ROOT, "node_modules/.bin")}${path.delimiter}${env.PATH ?? ""}` },
  });
  const stop = async () => {
    await stopChild(child);
    if (dropDb) {
      unregisterDrop?.();
      await dropDb();
    }
    removeTempDir(dataDir);
  };

  try {
    const startedAt = Date.now();
    await waitForHttp(`${origin}/api/health`, child, 120_000);
    const notes = [`started in ${((Date.now() - startedAt) / 1000).toFixed(1)} s (migrations included)`];

    let tokenPath = "/oauth/token";
    let authorizePath = "/oauth/authorize";
    const disco = await fetchRaw(`${origin}/.well-known/openid-configuration`);
    if (disco.status === 200) {
      const d = JSON.parse(disco.text) as { token_endpoint?: string; authorization_endpoint?: string };
      if (d.token_endpoint) tokenPath = new URL(d.token_endpoint).pathname;
      if (d.authorization_endpoint) authorizePath = new URL(d.authorization_endpoint).pathname;
    } else {
      notes.push(`discovery answered ${disco.status}: using ${tokenPath} and ${authorizePath}`);
    }

    if (opts.db === "sqlite") {
      const file = path.join(dataDir, "latchkey.db");
      if (existsSync(file)) {
        const sqlite = new Database(file, { readonly: true, fileMustExist: true });
        try {
          notes.push(`SQLite journal_mode=${String(sqlite.pragma("journal_mode", { simple: true }))} (the file's setting; synchronous is per connection)`);
        } finally {
          sqlite.close();
        }
      }
    } else {
      notes.push(`PostgreSQL database ${new URL(databaseUrl).pathname.slice(1)} (created for this run, dropped after)`);
    }

    const client = await cli<{ client_id: string; client_secret?: string }>(env, [
      "client", "create", "--name", "bench", "--redirect-uri", opts.redirectUri,
      "--grant-types", "authorization_code refresh_token client_credentials",
    ]);
    if (!client.client_secret) throw new Error("client create printed no client_secret");
    const clientSecret = client.client_secret;
    // The API of the resource scenario (any client may request it: the default).
    await cli(env, ["api", "create", "--name", "bench API", "--identifier", BENCH_RESOURCE, "--scope", "api=Bench API"]);
    const user = { email: "bench-user@bench.invalid", password: randomBytes(18).toString("base64url") };
    const created = await cli<{ id: string }>(env, ["user", "create", "--email", user.email, "--password", user.password]);

    const token = () => tokenEndpoint(tokenPath, client.client_id, clientSecret);

    /** next-auth's CSRF double-submit pair: the token and the cookie that goes with it. */
    async function csrf(jar: CookieJar): Promise<string> {
      const r = await fetchRaw(`${origin}/api/auth/csrf`, {}, jar);
      if (r.status !== 200) throw new Error(`GET /api/auth/csrf: ${describe(r)}`);
      return (JSON.parse(r.text) as { csrfToken: string }).csrfToken;
    }

    async function portalSession(): Promise<string> {
      const jar = new CookieJar();
      const csrfToken = await csrf(jar);
      const r = await fetchRaw(
        `${origin}${SIGN_IN_PATH}`,
        { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: form({ csrfToken, email: user.email, password: user.password, json: "true" }) },
        jar,
      );
      if (!jar.has(SESSION_COOKIE)) throw new Error(`password sign-in set no ${SESSION_COOKIE}: ${describe(r)}`);
      return jar.header();
    }

    let authorized: Promise<AuthorizeEndpoint> | undefined;
    async function signInAndConsent(): Promise<AuthorizeEndpoint> {
      const cookie = await portalSession();
      const ep: AuthorizeEndpoint = { ...token(), authorizePath, clientId: client.client_id, redirectUri: opts.redirectUri, scope: opts.scope, cookie };
      const attempt = async () => {
        const { challenge } = pkcePair();
        const state = randomState();
        const r = await fetchRaw(`${origin}${authorizePath}?${authorizeQuery(ep, state, challenge)}`, { headers: { cookie } });
        return { r, ...codeFromRedirect(r.headers.get("location") ?? undefined, opts.redirectUri, state) };
      };
      const first = await attempt();
      if (first.code) return ep; // consent was already there
      const location = first.r.headers.get("location") ?? "";
      if (!(first.r.status >= 300 && first.r.status < 400 && new URL(location, origin).pathname === "/consent")) {
        throw new Error(`signed-in GET authorize did not ask for consent (${first.why}): ${describe(first.r)}`);
      }
      await grantConsent(databaseUrl, client.client_id, created.id, opts.scope.split(" "));
      const second = await attempt();
      if (!second.code) throw new Error(`GET authorize after consent gave no code (${second.why}): ${describe(second.r)}`);
      return ep;
    }

    return {
      key: opts.db === "sqlite" ? "latchkeySqlite" : "latchkeyPostgres",
      label,
      origin,
      notes,
      databaseUrl,
      memory: () => memoryOf(listenerPid(child.pid, port) ?? child.pid, child.pid),
      servingPid: () => listenerPid(child.pid, port) ?? child.pid,
      complaints: () => child.complaints(),
      token,
      authorize: () => (authorized ??= signInAndConsent()),
      async signIn(): Promise<SignInEndpoint> {
        const jar = new CookieJar();
        const csrfToken = await csrf(jar);
        return { path: SIGN_IN_PATH, csrfToken, cookie: jar.header(), email: user.email, password: user.password, sessionCookie: SESSION_COOKIE };
      },
      stop,
    };
  } catch (err) {
    await stop().catch(() => undefined);
    throw err;
  }
}
