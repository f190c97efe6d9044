// The one shape of a protocol endpoint: a plain request in, a plain response out. The lean
// node:http router (node-adapter.ts) serves it in production without any Web Request/Response
// (the reason is in docs/architecture.md); the app/ route files serve the same function through
// web-handler.ts, which is what `next dev` runs.
import type { FormSource } from "./form";
import { SECURITY_HEADERS } from "./security-headers.mjs";

/** A request as an endpoint reads it; header lookup stays lazy (nothing is copied up front). */
export interface PlainRequest extends FormSource {
  /** GET, HEAD, POST, PUT or DELETE, as sent. */
  readonly method: string;
  /** The request target: path and query (RFC 9112 §3.2.1 origin-form). Read with queryOf()/pathOf(). */
  readonly url: string;
}

/** A header with several values is an array: Set-Cookie is never folded into one line (RFC 6265 §3). */
export type HeaderValue = string | readonly string[];

export interface PlainResponse {
  status: number;
  headers: Record<string, HeaderValue>;
  /** "" is no body (a redirect, a 204). */
  body: string;
  /** The OAuth error code the body carries (RFC 6749 §5.2), for the log line and the metrics; never written by itself. */
  error?: string;
  /** An unexpected exception behind this response (a bug): logged with its stack by whoever serves it, never sent. */
  fault?: unknown;
}

export type Endpoint = (req: PlainRequest) => Promise<PlainResponse>;

/** Where a response's headers are written: a node:http ServerResponse, or web-handler.ts's Headers. */
export interface HeaderSink {
  setHeader(name: string, value: HeaderValue): unknown;
}

/**
 * Every endpoint response's headers, for both the lean router and the app/ adapter: the
 * security headers first, then the endpoint's own, which may replace one (an HTML page's CSP).
 */
export function writeHeaders(r: PlainResponse, to: HeaderSink): void {
  for (const { key, value } of SECURITY_HEADERS) to.setHeader(key, value);
  for (const key in r.headers) to.setHeader(key, r.headers[key]!);
}
