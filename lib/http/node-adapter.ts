// Serving the protocol endpoints straight from node:http, in front of Next: Next's request
// pipeline costs more CPU than a whole token grant (see the benchmark issue). The handlers are
// the same Web-standard functions the app/ route files re-export, so `next dev` and the route
// files behave exactly as this does.
import { logError } from "../log/safe-log";
import type { IncomingMessage, ServerResponse } from "node:http";
import { SECURITY_HEADERS } from "./security-headers.mjs";
import type { LiteRequest } from "./form";
import type { LiteResponse } from "./oauth-response";

/** A handler that can also be served without Web Request/Response objects (token, authorize). */
export type LiteHandler = (req: LiteRequest) => Promise<LiteResponse>;
export type WebHandler = ((req: Request) => Promise<Response>) & { lite?: LiteHandler };
/** path -> method -> handler */
export type Routes = Record<string, Partial<Record<string, WebHandler>>>;

const MAX_BODY = 64 * 1024;

async function readBody(req: IncomingMessage): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export function toWebRequest(req: IncomingMessage, origin: string, body: Buffer | undefined): Request {
  const headers = new Headers();
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!);
  // Node Buffers always sit on an ArrayBuffer (never a SharedArrayBuffer): no copy needed.
  const bytes = body?.length ? new Uint8Array(body.buffer as ArrayBuffer, body.byteOffset, body.length) : undefined;
  return new Request(origin + (req.url ?? "/"), { method: req.method, headers, body: bytes });
}

/** Header lookup over the raw headers, joined like the Fetch standard's Headers.get(). */
function liteRequest(req: IncomingMessage, body: Buffer | undefined): LiteRequest {
  const raw = req.rawHeaders;
  return {
    url: req.url ?? "/",
    headers: {
      get(name: string) {
        const wanted = name.toLowerCase();
        let value: string | null = null;
        for (let i = 0; i < raw.length; i += 2) {
          if (raw[i]!.toLowerCase() === wanted) value = value === null ? raw[i + 1]! : `${value}, ${raw[i + 1]!}`;
        }
        return value;
      },
    },
    text: async () => (body ? body.toString("utf8") : ""),
  };
}

function sendLiteResponse(res: ServerResponse, r: LiteResponse): void {
  res.statusCode = r.status;
  for (const { key, value } of SECURITY_HEADERS) res.setHeader(key, value);
  for (const key in r.headers) res.setHeader(key, r.headers[key]!);
  res.end(r.body);
}

export async function sendWebResponse(res: ServerResponse, r: Response): Promise<void> {
  res.statusCode = r.status;
  for (const { key, value } of SECURITY_HEADERS) res.setHeader(key, value);
  r.headers.forEach((value, key) => {
    if (key !== "set-cookie") res.setHeader(key, value);
  });
  const cookies = r.headers.getSetCookie();
  if (cookies.length) res.setHeader("set-cookie", cookies);
  const body = r.body ? Buffer.from(await r.arrayBuffer()) : undefined;
  res.end(body);
}

/**
 * A node:http handler for `routes`; returns false (untouched) for any other request, which
 * the caller hands to Next.
 */
export function protocolRouter(routes: Routes, origin: string) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const url = req.url ?? "/";
    const q = url.indexOf("?");
    const path = q < 0 ? url : url.slice(0, q);
    const byMethod = routes[path];
    if (!byMethod) return false;
    // RFC 9110 §9.3.2: HEAD is GET without the body (Node drops the body for HEAD itself).
    const handler = byMethod[req.method === "HEAD" ? "GET" : (req.method ?? "GET")];
    if (!handler) {
      res.writeHead(405, { Allow: Object.keys(byMethod).join(", "), "Content-Type": "application/json" });
      res.end(JSON.stringify({ error: "invalid_request", error_description: `${req.method} is not allowed here` }));
      return true;
    }
    try {
      const body = req.method === "GET" || req.method === "HEAD" ? undefined : await readBody(req);
      if (body === null) {
        res.writeHead(413, { "Content-Type": "application/json" });
        res.end(JSON.stringify({ error: "invalid_request", error_description: "The request body is too large" }));
        return true;
      }
      if (handler.lite) sendLiteResponse(res, await handler.lite(liteRequest(req, body)));
      else await sendWebResponse(res, await handler(toWebRequest(req, origin, body)));
    } catch (err) {
      logError("Unexpected error in the protocol router:", err);
      if (!res.headersSent) res.writeHead(500, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ error: "server_error", error_description: "The server could not complete the request." }));
    }
    return true;
  };
}
