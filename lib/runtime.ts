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
import { databaseUrl } from "./config/database-url";
import { storesFor, type Stores } from "./db";
import { createDb, type Db } from "./db/client";
import { keyStore } from "./db/keys";
import { protocolStores } from "./db/protocol";
import { documentClientStore } from "./db/protocol/document-clients";
import { createSql } from "./db/protocol/sql";
import { AnonymousWriteLimit } from "./http/anonymous-writes";
import { createKeyRing } from "./keys/keyring";
import { fetchJsonDocument } from "./net/json-document";
import { knownApiScopes } from "./oauth/client-metadata";
import { clientDocumentResolver } from "./oauth/client-documents/resolver";
import type { ClientDocumentResolver, OAuthDeps, OAuthStores } from "./oauth/types";
import { processWide } from "./process-wide";

/** Retired keys stay in the JWKS this long: longer than any token they signed can live. */
export const RETIRED_KEY_RETENTION_SECONDS = 2 * 86_400;

/** The process's Prisma client, for whichever provider DATABASE_URL names. */
export function db(): Db {
  return (processWide.db ??= createDb(databaseUrl()));
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
  const stores = protocolStores(d, createSql(cfg.databaseUrl));
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
  return (processWide.clientDocumentFetches ??= new AnonymousWriteLimit(getConfig().clientMetadata.fetchesPerMinute));
}

/** ANONYMOUS_WRITES_PER_MINUTE, counted once for the whole process (lib/http/anonymous-writes.ts). */
export function anonymousWrites(): AnonymousWriteLimit {
  return (processWide.anonymousWrites ??= new AnonymousWriteLimit(getConfig().anonymousWritesPerMinute));
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
