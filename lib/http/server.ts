// The node:http server in front of everything (scripts/start.ts): the limits every request
// meets before the lean router or Next sees it. Next's request handler buffers whole bodies
// (server actions, /api/auth/*, any path the lean router does not match), so the body limit
// lives here, once, for every path and every spelling of it.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { DrainingAwareResponse } from "./shutdown";

export interface ServerLimits {
  /** Largest request body accepted, in bytes (413 above it). */
  maxBodyBytes: number;
  /** The request line and headers must arrive within this (408, then the connection closes). */
  headersTimeoutMs: number;
  /** The whole request, body included, must arrive within this (408). */
  requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this. */
  keepAliveTimeoutMs: number;
  /** Connections beyond this are closed as soon as they open. */
  maxConnections: number;
  /** How often Node checks the two timeouts above; tests use a short one. */
  checkIntervalMs?: number;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/** Path prefixes served by the protocol (the lean router) and next-auth. */
const GUARDED_PREFIXES = ["/oauth/", "/.well-known/", "/api/"];

/**
 * The path as the lean router would need to see it: percent-encoded unreserved characters
 * decoded (RFC 3986 §2.3, §6.2.2.2), dot segments removed (§5.2.4), repeated and trailing
 * slashes dropped. Other percent-escapes are left as they are.
 */
export function normalizePath(path: string): string {
  const decoded = path.replace(/%([0-9A-Fa-f]{2})/g, (m, hex: string) => {
    const c = String.fromCharCode(parseInt(hex, 16));
    return /[A-Za-z0-9\-._~]/.test(c) ? c : m.toUpperCase();
  });
  const out: string[] = [];
  for (const seg of decoded.split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === "..") out.pop();
    else out.push(seg);
  }
  return `/${out.join("/")}`;
}

/**
 * A request path that only means a protocol or next-auth path after normalisation (e.g.
 * `/oauth/./token`, `//oauth/token`, `/oauth/token/`, `/oauth/%74oken`): refused rather than
 * served by whichever of the lean router or Next happens to accept that spelling, so that each
 * endpoint has exactly one way in. Returns the canonical path to name in the error, or null.
 */
export function nonCanonicalGuardedPath(url: string): string | null {
  const q = url.indexOf("?");
  const path = q < 0 ? url : url.slice(0, q);
  const normal = normalizePath(path);
  if (normal === path) return null;
  return GUARDED_PREFIXES.some((p) => `${normal}/`.startsWith(p)) ? normal : null;
}

function refuse(res: ServerResponse, status: number, description: string, close: boolean): void {
  const body = JSON.stringify({ error: "invalid_request", error_description: description });
  res.writeHead(status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(body),
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    ...(close ? { Connection: "close" } : {}),
  });
  res.end(body);
}

const tooLarge = (res: ServerResponse, max: number) =>
  // RFC 9110 §15.5.14. The body is not read: the connection is closed after the answer.
  refuse(res, 413, `The request body is larger than ${max} bytes`, true);

/**
 * Holds a body sent without Content-Length (chunked) until it is complete, counting it as it
 * arrives: true once it is complete and within `max` (it is then handed on unchanged), false as
 * soon as it goes over (the rest is dropped, never buffered). Hooks the stream's `push`, which
 * node:http's parser calls for each chunk and with null at the end; installed synchronously in
 * the request listener, before the parser delivers any of the body.
 */
function holdChunkedBody(req: IncomingMessage, max: number): Promise<boolean> {
  return new Promise((resolve) => {
    const push = req.push;
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.push = (chunk: unknown, encoding?: BufferEncoding): boolean => {
      if (over) return true;
      if (chunk === null) {
        req.push = push;
        for (const c of chunks) push.call(req, c);
        const r = push.call(req, null);
        resolve(true);
        return r;
      }
      const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string, encoding);
      size += buf.length;
      if (size > max) {
        over = true;
        chunks.length = 0;
        resolve(false);
        return true;
      }
      chunks.push(buf);
      return true;
    };
    req.once("close", () => resolve(false));
  });
}

/** node:http with the limits applied; `handler` sees only requests within them. */
export function createLimitedServer(limits: ServerLimits, handler: Handler): Server {
  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      // Node checks both timeouts on this interval (default 30 s, so a slow client would get
      // up to 30 s beyond them).
      connectionsCheckingInterval: limits.checkIntervalMs ?? Math.min(1000, limits.headersTimeoutMs),
      // `Connection: close` on every response once the process is draining (lib/http/shutdown.ts).
      ServerResponse: DrainingAwareResponse,
    },
    (req, res) => {
      const canonical = nonCanonicalGuardedPath(req.url ?? "/");
      if (canonical !== null) {
        refuse(res, 400, `Send this request to ${canonical}: other spellings of the path are refused`, hasBody(req));
        return;
      }
      const length = req.headers["content-length"];
      // Node's parser has already refused a malformed Content-Length, and reads exactly that
      // many bytes of body: a length within the limit bounds the body.
      if (length !== undefined && Number(length) > limits.maxBodyBytes) {
        tooLarge(res, limits.maxBodyBytes);
        return;
      }
      if (length === undefined && req.headers["transfer-encoding"] !== undefined) {
        void holdChunkedBody(req, limits.maxBodyBytes).then((ok) => {
          if (ok) void handler(req, res);
          else if (!req.destroyed) tooLarge(res, limits.maxBodyBytes);
        });
        return;
      }
      void handler(req, res);
    },
  );
  // Node closes connections beyond this as they arrive (RFC 9112 §9.6 lets a server close).
  server.maxConnections = limits.maxConnections;
  return server;
}

const hasBody = (req: IncomingMessage) =>
  (req.headers["content-length"] !== undefined && req.headers["content-length"] !== "0") ||
  req.headers["transfer-encoding"] !== undefined;
