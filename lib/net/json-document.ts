// A small JSON document fetched from a URL an anonymous caller chose (today: Client ID Metadata
// Documents), with the limits the draft suggests (draft-ietf-oauth-client-id-metadata-document
// §6.7: read at most 5 KB) and how long it may be reused.
import { freshnessSeconds, type FreshnessBounds } from "./freshness";
import { safeGet } from "./safe-fetch";

export const DOCUMENT_MAX_BYTES = 5 * 1024;
export const DOCUMENT_TIMEOUT_MS = 5000;
/**
 * Reuse bounds: at least a minute (a document that asks for less would be fetched on every
 * sign-in), at most a day (a changed document is seen within a day), ten minutes without caching
 * headers. no-store and no-cache mean not at all.
 */
export const DOCUMENT_FRESHNESS: FreshnessBounds = { minSeconds: 60, maxSeconds: 86_400, fallbackSeconds: 600 };

export async function fetchJsonDocument(
  url: URL,
  opts: { allowPrivate: boolean },
): Promise<{ contentType: string | null; body: string; freshSeconds: number }> {
  const r = await safeGet(url, { allowPrivate: opts.allowPrivate, maxBytes: DOCUMENT_MAX_BYTES, timeoutMs: DOCUMENT_TIMEOUT_MS, accept: "application/json" });
  return { contentType: r.headers["content-type"] ?? null, body: r.body, freshSeconds: freshnessSeconds(r.headers, DOCUMENT_FRESHNESS) };
}
