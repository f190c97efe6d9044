// A database that is away, stalled or locked (issue 18 §2): every endpoint answers fast with 503
// temporarily_unavailable and Retry-After (RFC 6749 §5.2; RFC 9110 §10.2.3), authorize redirects
// temporarily_unavailable to a known client (RFC 6749 §4.1.2.1) or shows a 503 page, no internal
// text reaches a response or a URL, and the next request after the database is back works.
// Real PostgreSQL behind a TCP proxy this test controls (refuse / blackhole), a real
// LOCK TABLE … IN ACCESS EXCLUSIVE MODE, and a real SQLite write lock held by another connection.
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pgServerUrl, tempDatabase, type TempDatabase } from "@test/db";
import { tcpProxy, type TcpProxy } from "@test/tcp-proxy";
import { webEndpoints } from "@test/web-endpoints";
import { ISSUER, SECRET } from "@test/http-instance";
import { createDb, type Db } from "../../db/client";
import { clientStore } from "../../db/clients";
import { keyStore } from "../../db/keys";
import { protocolStores } from "../../db/protocol";
import { createSql, type Sql } from "../../db/protocol/sql";
import { registrationStore } from "../../db/registration";
import { createKeyRing } from "../../keys/keyring";
import { clientMetadataSchema } from "../../oauth/client-metadata";
import type { OAuthDeps } from "../../oauth/types";
import type { DatabaseLimits } from "../../config/database-url";
import { resetClientErrorThrottle } from "../../oauth/client-errors";
import { authorizeEndpoints } from "./authorize";
import { makeIntrospection } from "./introspection";
import { makeRegistration } from "./registration";
import { makeRevocation } from "./revocation";
import { makeToken } from "./token";
import { makeUserinfo } from "./userinfo";

const REDIRECT = "https://app.test/cb";
const LIMITS: DatabaseLimits = { connectTimeoutMs: 2000, statementTimeoutMs: 1000, idleInTransactionTimeoutMs: 3000, busyRetryMs: 1000 };
/**
 * The longest any request may take while the database is away: a statement's timeout and the
 * client's read timeout a second later, or the SQLite budget, with slack for a loaded machine.
 * Without the timeouts these requests hang until the lock or the proxy lets go (never, here).
 */
const BOUND_MS = 5000;
const UNAVAILABLE = { error: "temporarily_unavailable", error_description: "The service is temporarily unavailable; try again in a few seconds." };
/** What must never reach a response: driver, SQL and Prisma text, the database's address. */
const INTERNAL = /ECONN|timeout exceeded|Connection terminated|Query read|SQLITE|Prisma|SELECT|INSERT|UPDATE|statement|lock|5432|127\.0\.0\.1:\d|stack|\bat \w+ \(/i;

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString("base64")}`;

interface World {
  db: Db;
  sql: Sql;
  deps: OAuthDeps;
  conf: { client_id: string; client_secret: string };
  ep: ReturnType<typeof endpoints>;
}

function endpoints(db: Db, deps: OAuthDeps) {
  return webEndpoints({
    token: makeToken(() => deps),
    introspect: makeIntrospection(() => deps),
    revoke: makeRevocation(() => deps),
    userinfo: makeUserinfo(() => deps),
    register: makeRegistration(() => ({ issuer: ISSUER, openRegistration: true, store: registrationStore(db), now: () => new Date() })).register,
    authorize: authorizeEndpoints({ deps: () => deps, session: async () => null }).GET,
  });
}

/** The endpoints over `url` with LIMITS, and a confidential client made through `t`. */
async function world(t: TempDatabase, url: string): Promise<World> {
  const db = createDb(url, LIMITS);
  const sql = createSql(url, LIMITS);
  const deps: OAuthDeps = {
    issuer: ISSUER,
    lifetimes: { authorizationCode: 60, accessToken: 600, idToken: 3600, refreshIdle: 3600, refreshAbsolute: 86400 },
    refreshReuseGrace: { seconds: 60, max: 20 },
    stores: protocolStores(db, sql),
    keys: createKeyRing(keyStore(db), { issuer: ISSUER, secret: SECRET, retiredRetentionSeconds: 86400 }),
    now: () => new Date(),
  };
  const meta = clientMetadataSchema.parse({ client_name: "App", redirect_uris: [REDIRECT], grant_types: ["authorization_code", "client_credentials"] });
  const conf = (await clientStore(t.db).create(meta, null)) as World["conf"];
  return { db, sql, deps, conf, ep: endpoints(db, deps) };
}

const post = (path: string, body: Record<string, string>, headers: Record<string, string> = {}) =>
  new Request(`${ISSUER}${path}`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", ...headers }, body: new URLSearchParams(body) });

const tokenRequest = (w: World) => w.ep.token(post("/oauth/token", { grant_type: "client_credentials" }, { authorization: basic(w.conf.client_id, w.conf.client_secret) }));

const authorizeUrl = (clientId: string) =>
  `${ISSUER}/oauth/authorize?${new URLSearchParams({ response_type: "code", client_id: clientId, redirect_uri: REDIRECT, scope: "openid", state: "st-1", code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", code_challenge_method: "S256" })}`;

/** The response, checked as a JSON 503 temporarily_unavailable: exact body and headers. */
async function expectJson503(res: Response) {
  expect(res.status).toBe(503);
  expect(res.headers.get("retry-after")).toBe("5");
  expect(res.headers.get("cache-control")).toBe("no-store");
  expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
  const text = await res.text();
  expect(JSON.parse(text)).toStrictEqual(UNAVAILABLE);
  expect(text).not.toMatch(INTERNAL);
}

async function timed<T>(f: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await f();
  return { value, ms: performance.now() - start };
}

describe("PostgreSQL behind a proxy that refuses, then blackholes, then passes again", () => {
  let t: TempDatabase;
  let proxy: TcpProxy;
  let w: World;
  let accessToken: string;

  beforeAll(async () => {
    t = await tempDatabase("postgres");
    const server = new URL(pgServerUrl());
    proxy = await tcpProxy({ host: server.hostname, port: Number(server.port || 5432) });
    w = await world(t, proxy.urlFor(t.url));
    // Warm: the client and the signing keys are cached, as on a running server.
    const res = await tokenRequest(w);
    expect(res.status).toBe(200);
    accessToken = ((await res.json()) as { access_token: string }).access_token;
    resetClientErrorThrottle();
  });
  afterAll(async () => {
    proxy?.setMode("pass");
    await w?.sql.close();
    await w?.db.$disconnect();
    await proxy?.close();
    await t?.drop();
  });

  it("refused: token, introspection, revocation, userinfo and registration answer 503 temporarily_unavailable with Retry-After, at once", async () => {
    proxy.setMode("refuse");
    const auth = { authorization: basic(w.conf.client_id, w.conf.client_secret) };
    const { ms } = await timed(async () => {
      await expectJson503(await tokenRequest(w));
      await expectJson503(await w.ep.introspect(post("/oauth/introspect", { token: accessToken }, auth)));
      await expectJson503(await w.ep.revoke(post("/oauth/revoke", { token: accessToken }, auth)));
      await expectJson503(await w.ep.userinfo(new Request(`${ISSUER}/oauth/userinfo`, { headers: { authorization: `Bearer ${accessToken}` } })));
      await expectJson503(
        await w.ep.register(
          new Request(`${ISSUER}/oauth/register`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ client_name: "X", redirect_uris: [REDIRECT] }) }),
        ),
      );
    });
    expect(ms).toBeLessThan(BOUND_MS);
  });

  it("refused: authorize for a known client redirects error=temporarily_unavailable with state and iss (RFC 6749 §4.1.2.1; RFC 9207)", async () => {
    // Known: the client was read within the client cache's TTL (lib/db/protocol/client-cache.ts).
    proxy.setMode("pass");
    expect((await w.ep.authorize(new Request(authorizeUrl(w.conf.client_id)))).status).toBe(302);
    proxy.setMode("refuse");
    const res = await w.ep.authorize(new Request(authorizeUrl(w.conf.client_id)));
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(
      `${REDIRECT}?${new URLSearchParams({ error: UNAVAILABLE.error, error_description: UNAVAILABLE.error_description, state: "st-1", iss: ISSUER })}`,
    );
    expect(res.headers.get("location")).not.toMatch(INTERNAL);
  });

  it("refused: authorize for a client not yet known shows a 503 page with Retry-After and no internal text", async () => {
    proxy.setMode("refuse");
    const res = await w.ep.authorize(new Request(authorizeUrl("never-seen-client")));
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("5");
    expect(res.headers.get("location")).toBeNull();
    const html = await res.text();
    expect(html).toContain("Temporarily unavailable");
    expect(html).toContain("Try again in a moment.");
    expect(html).not.toMatch(INTERNAL);
  });

  it("blackholed (a frozen server): the token endpoint answers 503 within the timeouts instead of hanging", async () => {
    proxy.setMode("blackhole");
    const { value, ms } = await timed(() => tokenRequest(w));
    await expectJson503(value);
    expect(ms).toBeLessThan(BOUND_MS);
  });

  it("back: the next request works, without a restart", async () => {
    proxy.setMode("pass");
    const { value, ms } = await timed(() => tokenRequest(w));
    expect(value.status).toBe(200);
    expect(ms).toBeLessThan(BOUND_MS);
  });
});

describe("PostgreSQL with a table locked by another connection", () => {
  let t: TempDatabase;
  let w: World;
  let locker: pg.Client;

  beforeAll(async () => {
    t = await tempDatabase("postgres");
    w = await world(t, t.url);
    expect((await tokenRequest(w)).status).toBe(200);
    locker = new pg.Client({ connectionString: t.url });
    await locker.connect();
  });
  afterAll(async () => {
    await locker?.end();
    await w?.sql.close();
    await w?.db.$disconnect();
    await t?.drop();
  });

  it("20 token requests against the locked table and an authorize request: all answered within the timeouts, the tokens 503, authorize a redirect", async () => {
    await locker.query("BEGIN");
    await locker.query('LOCK TABLE "AccessToken" IN ACCESS EXCLUSIVE MODE');
    try {
      const tokens = Array.from({ length: 20 }, () => timed(() => tokenRequest(w)));
      await new Promise((r) => setTimeout(r, 50)); // the pool is exhausted by now
      const authorize = await timed(() => w.ep.authorize(new Request(authorizeUrl(w.conf.client_id))));
      expect(authorize.value.status).toBe(302);
      expect(authorize.ms).toBeLessThan(BOUND_MS);
      for (const r of await Promise.all(tokens)) {
        await expectJson503(r.value);
        expect(r.ms).toBeLessThan(BOUND_MS);
      }
    } finally {
      await locker.query("ROLLBACK");
    }
    expect((await tokenRequest(w)).status).toBe(200);
  });
});

describe("SQLite with the write lock held by another connection (another process)", () => {
  let t: TempDatabase;
  let w: World;
  let other: Database.Database;

  beforeAll(async () => {
    t = await tempDatabase("sqlite");
    w = await world(t, t.url);
    expect((await tokenRequest(w)).status).toBe(200);
    other = new Database(t.url.slice("file:".length), { timeout: 0 });
  });
  afterAll(async () => {
    other?.close();
    await w?.sql.close();
    await w?.db.$disconnect();
    await t?.drop();
  });

  it("held longer than DB_BUSY_RETRY_MS: token and registration answer 503, and the event loop keeps running meanwhile", async () => {
    other.exec("BEGIN IMMEDIATE");
    other.exec('DELETE FROM "AuditEvent" WHERE 0');
    let last = performance.now();
    let stall = 0;
    const timer = setInterval(() => {
      stall = Math.max(stall, performance.now() - last);
      last = performance.now();
    }, 10);
    try {
      const { value, ms } = await timed(() => tokenRequest(w));
      await expectJson503(value);
      expect(ms).toBeLessThan(BOUND_MS);
      await expectJson503(
        await w.ep.register(
          new Request(`${ISSUER}/oauth/register`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ client_name: "X", redirect_uris: [REDIRECT] }) }),
        ),
      );
    } finally {
      clearInterval(timer);
      other.exec("ROLLBACK");
    }
    expect(stall).toBeLessThan(250);
    expect((await tokenRequest(w)).status).toBe(200);
  });

  it("requests queued behind a waiting write wait only what is left of their own budget, not a budget more each", async () => {
    other.exec("BEGIN IMMEDIATE");
    other.exec('DELETE FROM "AuditEvent" WHERE 0');
    try {
      const requests = [0, 50, 100, 150].map(async (delay) => {
        await new Promise((r) => setTimeout(r, delay));
        return timed(() => tokenRequest(w));
      });
      for (const r of await Promise.all(requests)) {
        await expectJson503(r.value);
        // Each waited up to its own budget; queued behind the first write's wait it would wait that
        // plus a whole budget of its own (up to 2 × 1000 − 150 ms).
        expect(r.ms).toBeLessThan(LIMITS.busyRetryMs + 400);
      }
    } finally {
      other.exec("ROLLBACK");
    }
    expect((await tokenRequest(w)).status).toBe(200);
  });
});
