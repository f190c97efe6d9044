// The composition root: the one module that builds the process's long-lived objects (the Prisma
// client, the protocol's SQL connection and writer, the key ring, the protocol dependencies, the
// stores), each on first use: `next build` imports it and needs none of them. Pages and server
// actions reach data through data(), protocol endpoints through oauthDeps(),
// scripts through db() as well.
//
// The objects that must exist once per process live in lib/process-wide.ts (that file says why).
// The stores that data() returns are cheap closures over the one Prisma client and are built once
// per copy of this module instead: the errors they throw (EmailTaken, ConcurrentChange,
// AdminRefusal, …) must be the classes that the same copy's pages and actions test with instanceof.
import { getConfig } from "./config";
import { databaseLimits, databaseUrl } from "./config/database-url";
import { storesFor, type Stores } from "./db";
import { createDb, type Db } from "./db/client";
import { keyStore } from "./db/keys";
import { protocolStores } from "./db/protocol";
import { documentClientStore } from "./db/protocol/document-clients";
import { createSql, type Sql } from "./db/protocol/sql";
import { databaseReadiness } from "./db/readiness";
import { metrics, type Metrics } from "./ops/metrics";
import { AnonymousWriteLimit } from "./http/anonymous-writes";
import { isDraining } from "./http/shutdown";
import { RateLimits } from "./http/rate-limits";
import { auditStore } from "./db/audit";
import { rateCounterStore } from "./db/rate-counters";
import { RateLimiter } from "./ratelimit/limiter";
import { redisClient, redisCounters } from "./ratelimit/redis-counters";
import { createKeyRing } from "./keys/keyring";
import { fetchJsonDocument } from "./net/json-document";
import { knownApiScopes } from "./oauth/client-metadata";
import { clientDocumentResolver } from "./oauth/client-documents/resolver";
import type { ClientDocumentResolver, OAuthDeps, OAuthStores } from "./oauth/types";
import { processWide } from "./process-wide";
import { createMailer, type Mailer } from "./mail/mailer";
import { OUTBOX_KEEP } from "./mail/outbox";
import { log } from "./log/logger";

/** Retired keys stay in the JWKS this long: longer than any token they signed can live. */
export const RETIRED_KEY_RETENTION_SECONDS = 2 * 86_400;

/** The process's Prisma client, for whichever provider DATABASE_URL names. */
export function db(): Db {
  return (processWide.db ??= createDb(databaseUrl(), databaseLimits()));
}

/**
 * At shutdown, after the last request: the SQL connection closes (on SQLite its writer thread
 * first commits what was queued), then Prisma's. Whatever was never opened is skipped.
 */
export async function closeRuntime(): Promise<void> {
  const { db, rateLimiter } = processWide;
  const sql = processWide.sql as Sql | undefined;
  // The rate limits' last local counts go to the shared counters first (they need the database).
  processWide.rateLimiter = undefined;
  await rateLimiter?.stop().catch(() => undefined);
  processWide.sql = undefined;
  processWide.db = undefined;
  processWide.oauth = undefined;
  await sql?.close();
  await db?.$disconnect();
}

/** The hot paths' SQL runner (prepared statements; on SQLite, the writer thread). */
function sql(): Sql {
  const cfg = getConfig();
  return (processWide.sql ??= createSql(cfg.databaseUrl, cfg.databaseLimits)) as Sql;
}

/** How long GET /api/ready waits for the database before it says "timeout". */
const READY_TIMEOUT_MS = 1000;

type Readiness = ReturnType<typeof databaseReadiness> & { draining(): boolean };
let ready: Readiness | undefined;

/** What GET /api/ready checks (lib/http/endpoints/health.ts). */
export function readiness(): Readiness {
  ready ??= {
    ...databaseReadiness({ sql, db, provider: getConfig().dbProvider, timeoutMs: READY_TIMEOUT_MS }),
    // Not ready while the server drains after SIGTERM/SIGINT (lib/http/shutdown.ts).
    draining: isDraining,
  };
  return ready;
}

/** The process's metrics, with the SQL runner's pool and queue behind their gauges (read at scrape time). */
export function serverMetrics(): Metrics {
  const m = metrics();
  m.setSqlStats(() => (processWide.sql as Sql | undefined)?.stats() ?? {});
  return m;
}

/** What the protocol core (lib/oauth) needs: stores, key ring, clock, issuer and lifetimes. */
export function oauthDeps(): OAuthDeps {
  return (processWide.oauth ??= createOAuthDeps());
}

/** Client documents kept in memory per process (each a few KB at most). */
const CLIENT_DOCUMENT_CACHE_ENTRIES = 1000;

function createOAuthDeps(): OAuthDeps {
  const cfg = getConfig();
  const d = db();
  // The hot paths (token endpoint, authorize with consent, token checks) as prepared SQL.
  const stores = protocolStores(d, sql());
  return {
    issuer: cfg.issuer,
    lifetimes: cfg.tokens,
    refreshReuseGrace: cfg.refreshReuseGrace,
    stores,
    clientDocuments: cfg.clientMetadata.enabled ? createClientDocuments(d, stores) : undefined,
    keys: createKeyRing(keyStore(d), {
      issuer: cfg.issuer,
      secret: cfg.secret,
      retiredRetentionSeconds: RETIRED_KEY_RETENTION_SECONDS,
    }),
    now: () => new Date(),
  };
}

/** Client ID Metadata Documents: fetched SSRF-safely (lib/net), cached in this process. */
function createClientDocuments(d: Db, stores: OAuthStores): ClientDocumentResolver {
  const cfg = getConfig();
  const { allowPrivate, trustedDomains } = cfg.clientMetadata;
  return clientDocumentResolver({
    issuer: cfg.issuer,
    fetch: (url) => fetchJsonDocument(url, { allowPrivate }),
    clients: stores.clients,
    store: documentClientStore(d, stores.clients),
    trustedDomains,
    allowHttpLoopback: allowPrivate,
    maxEntries: CLIENT_DOCUMENT_CACHE_ENTRIES,
    now: () => new Date(),
    apiScopes: knownApiScopes(stores.apis),
  });
}

/** CLIENT_METADATA_FETCHES_PER_MINUTE, counted once for the whole process, per caller address. */
export function clientDocumentFetches(): AnonymousWriteLimit {
  return (processWide.clientDocumentFetches ??= new AnonymousWriteLimit(getConfig().clientMetadata.fetchesPerMinute, rateLimiter(), "document-fetches"));
}

/** ANONYMOUS_WRITES_PER_MINUTE, counted once for the whole process (lib/http/anonymous-writes.ts). */
export function anonymousWrites(): AnonymousWriteLimit {
  return (processWide.anonymousWrites ??= new AnonymousWriteLimit(getConfig().anonymousWritesPerMinute, rateLimiter()));
}

/**
 * The process's rate limiter: its counters are shared with every instance through Redis when
 * REDIS_URL is set, else through the database; merged every RATE_LIMIT_SYNC_MS in the background.
 */
export function rateLimiter(): RateLimiter {
  return (processWide.rateLimiter ??= createRateLimiter());
}

function createRateLimiter(): RateLimiter {
  const cfg = getConfig().rateLimits;
  const backend = cfg.redisUrl ? redisCounters(redisClient(cfg.redisUrl), { prefix: cfg.redisKeyPrefix }) : rateCounterStore(db());
  return new RateLimiter(backend, { syncMs: cfg.syncMs }).start();
}

let limits: RateLimits | undefined;

/** The rate limits of the token, introspection, revocation and registration endpoints (lib/http/rate-limits.ts). */
export function rateLimits(): RateLimits {
  // Per copy of this module (its TooManyRequests is the class its oauthError tests with instanceof); the counts are process-wide.
  return (limits ??= new RateLimits({ limiter: rateLimiter(), config: getConfig().rateLimits, audit: auditStore(db()).record }));
}

/** The stores of pages and server actions, and the protocol's dependencies (consent). */
export type Data = Stores & { readonly oauth: OAuthDeps };

let portal: Data | undefined;

/** The one way for pages and server actions to reach data. */
export function data(): Data {
  portal ??= {
    ...storesFor(db()),
    // A getter: a page that never needs the protocol does not open its SQL connection.
    get oauth() {
      return oauthDeps();
    },
  };
  return portal;
}

let mail: Mailer | undefined;

/**
 * The one way to send mail: SMTP when SMTP_URL is set, else the outbox (DATA_DIR/outbox), whose
 * links go to the log in development or with a loopback issuer (lib/mail).
 */
export function mailer(): Mailer {
  if (mail) return mail;
  const cfg = getConfig().mail;
  const print = cfg.printLinks
    ? (m: { to: string; subject: string; links: string[]; file: string }) =>
        log().info({ mail: { to: m.to, subject: m.subject, file: m.file } }, `Mail to ${m.to} (outbox, not sent): ${m.subject}. Links: ${m.links.join(" ")}`)
    : undefined;
  mail = createMailer({ smtpUrl: cfg.smtpUrl, from: cfg.from, outbox: { dir: cfg.outboxDir, keep: OUTBOX_KEEP, print } });
  return mail;
}

/** What the flows that mail a link need (lib/auth/mail-links.ts and its callers). */
export function mailLinkDeps() {
  const cfg = getConfig();
  return { ...data(), mailer: mailer(), issuer: cfg.issuer, ttl: cfg.emailLinks };
}
