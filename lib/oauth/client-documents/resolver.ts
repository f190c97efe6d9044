// Resolving a client_id that is a Client Identifier URL (draft-ietf-oauth-client-id-metadata-document):
//   URL rules (§3) -> trusted-domain policy -> cached document? -> fetch (§4, SSRF-safe, by the
//   caller's `fetch`) -> validate (§4, §4.1) -> the client row (saved, or refreshed when the document
//   changed) -> cache for as long as the HTTP caching headers allow (§4.2, bounded by the fetcher).
// Failures are never cached (§4.2: MUST NOT cache error responses or invalid documents) and are
// shown as an error page: without a valid document there is no verified redirect URI to send the
// error to (RFC 6749 §4.1.2.1).
// Anonymous callers choose the URLs, so: each fetch is counted against the caller's address
// (`admitFetch`); only valid documents are cached, in a bounded LRU map; concurrent requests for
// one URL share a single fetch.
import { apiScopeCandidates, type ClientMetadata } from "../client-metadata";
import { InvalidAuthorizationTarget } from "../errors";
import type { ClientDocumentResolver, DocumentClientStore, OAuthClient, OAuthStores } from "../types";
import { clientIdUrlProblem, hostIsTrusted } from "./client-id-url";
import { InvalidClientDocument, parseClientDocument } from "./document";

/** What the fetcher returns: the body of a 200 answer, and how long it may be reused (0: not at all). */
export interface FetchedDocument {
  contentType: string | null;
  body: string;
  freshSeconds: number;
}

/** The caller's address has fetched too many documents; `retryAfterSeconds` until it may again. */
export class ClientDocumentFetchLimit extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super("Too many client metadata document fetches");
  }
}

export interface ClientDocumentOptions {
  issuer: string;
  /** GET the URL (SSRF-safe, lib/net); throws an Error whose message says what went wrong. */
  fetch(url: URL): Promise<FetchedDocument>;
  clients: Pick<OAuthStores["clients"], "findByClientId">;
  store: DocumentClientStore;
  /** CLIENT_METADATA_TRUSTED_DOMAINS; empty: any host. */
  trustedDomains: readonly string[];
  /** CLIENT_METADATA_ALLOW_PRIVATE: http client_ids on loopback hosts (development). */
  allowHttpLoopback: boolean;
  /** Documents kept in memory at most (least recently used go first). */
  maxEntries: number;
  now(): Date;
  /**
   * Which of these names are scopes of a registered API (client-metadata.ts knownApiScopes): a
   * document may list them in `scope` like a registration (issue 17 §5, e.g. mcp:tools).
   */
  apiScopes?: (names: string[]) => Promise<ReadonlySet<string>>;
}

/** The API scope names a fetched document lists, looked up (none when it is not JSON: parsing says why). */
async function documentApiScopes(opts: ClientDocumentOptions, body: string): Promise<ReadonlySet<string>> {
  if (!opts.apiScopes) return new Set();
  let scope: unknown;
  try {
    scope = (JSON.parse(body) as { scope?: unknown } | null)?.scope;
  } catch {
    return new Set();
  }
  const names = apiScopeCandidates(scope);
  return names.length ? opts.apiScopes(names) : new Set();
}

const TITLE = "Application could not be verified";
const DESCRIPTION =
  "The application that sent you here identifies itself by a web address, and Latchkey could not use what it found there. Go back to the app and contact its developer.";

const refused = (detail: string, title = TITLE, description = DESCRIPTION) =>
  new InvalidAuthorizationTarget(title, description, detail, detail);

interface Entry {
  metadata: ClientMetadata;
  expiresAt: number;
}

export function clientDocumentResolver(opts: ClientDocumentOptions): ClientDocumentResolver {
  // A Map keeps insertion order: re-inserting on use makes the first key the least recently used.
  const cache = new Map<string, Entry>();
  const inFlight = new Map<string, Promise<ClientMetadata & { freshSeconds: number }>>();

  function remember(url: string, metadata: ClientMetadata, freshSeconds: number) {
    cache.delete(url);
    if (freshSeconds <= 0) return;
    cache.set(url, { metadata, expiresAt: opts.now().getTime() + freshSeconds * 1000 });
    while (cache.size > opts.maxEntries) cache.delete(cache.keys().next().value!);
  }

  function cached(url: string): ClientMetadata | null {
    const hit = cache.get(url);
    if (!hit) return null;
    cache.delete(url);
    if (hit.expiresAt <= opts.now().getTime()) return null;
    cache.set(url, hit);
    return hit.metadata;
  }

  async function fetchAndValidate(clientId: string): Promise<ClientMetadata & { freshSeconds: number }> {
    let fetched: FetchedDocument;
    try {
      fetched = await opts.fetch(new URL(clientId));
    } catch (e) {
      throw refused(`The client ID metadata document at ${clientId} could not be fetched: ${(e as Error).message}.`);
    }
    try {
      const apiScopes = await documentApiScopes(opts, fetched.body);
      return { ...parseClientDocument(clientId, fetched, opts.issuer, apiScopes), freshSeconds: fetched.freshSeconds };
    } catch (e) {
      if (e instanceof InvalidClientDocument) throw refused(`The client ID metadata document at ${clientId} is not valid: ${e.message}.`);
      throw e;
    }
  }

  /** The row for the document: the stored one, or saved from `metadata` when missing or changed. */
  async function clientFor(clientId: string, metadata: ClientMetadata, fresh: boolean): Promise<OAuthClient> {
    if (!fresh) {
      const existing = await opts.clients.findByClientId(clientId);
      if (existing) return existing;
    }
    const saved = await opts.store.save(clientId, metadata, opts.now());
    if (saved) return saved;
    // Registered here another way under this very client_id (the draft's pre-registration, §5.2).
    const other = await opts.clients.findByClientId(clientId);
    if (other) return other;
    throw refused(`The client ${clientId} could not be saved.`);
  }

  return {
    async resolve(clientId, admitFetch) {
      const problem = clientIdUrlProblem(clientId, { allowHttpLoopback: opts.allowHttpLoopback });
      if (problem) {
        throw refused(
          `client_id ${JSON.stringify(clientId.slice(0, 300))} looks like a client ID metadata document URL but ${problem}.`,
          "Unknown application",
          "The application that sent you here is not known to Latchkey. Go back to the app and contact its developer.",
        );
      }
      const host = new URL(clientId).hostname;
      if (!hostIsTrusted(host, opts.trustedDomains)) {
        throw refused(
          `This server accepts client ID metadata documents only from the domains its administrator trusts, and ${host} is not one of them.`,
          "Application not allowed",
          "This Latchkey server does not accept this application. Go back to the app; its developer or this server's administrator can help.",
        );
      }
      const hit = cached(clientId);
      if (hit) return clientFor(clientId, hit, false);

      const wait = admitFetch();
      if (wait !== null) throw new ClientDocumentFetchLimit(wait);
      let pending = inFlight.get(clientId);
      if (!pending) {
        pending = fetchAndValidate(clientId).finally(() => inFlight.delete(clientId));
        inFlight.set(clientId, pending);
      }
      const { freshSeconds, ...metadata } = await pending;
      remember(clientId, metadata, freshSeconds);
      return clientFor(clientId, metadata, true);
    },
  };
}
