// Serving the protocol endpoints straight from node:http, in front of Next: Next's request
// pipeline costs more CPU than a whole token grant (docs/architecture.md). The endpoints are the
// plain functions the app/ route files serve through web-handler.ts, so `next dev` and the
// route files behave exactly as this does.
import type { IncomingMessage, ServerResponse } from "node:http";
import { writeHeaders, type Endpoint, type PlainRequest, type PlainResponse } from "./endpoint";
import { pathOf } from "./form";
import { json } from "./oauth-response";
import { noteFailure } from "./request-outcome";

/** method -> endpoint */
export type Methods = Partial<Record<string, Endpoint>>;
/**
 * path -> methods. A path ending in "/*" also matches that path with one more non-empty
 * segment (RFC 7592's /oauth/register/<client_id>); exact paths are looked up first.
 */
export type Routes = Record<string, Methods>;

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

/** Header lookup over the raw headers, only when asked, joined like the Fetch standard's Headers.get(). */
class RawHeaders {
  readonly #raw: string[];
  constructor(raw: string[]) {
    this.#raw = raw;
  }
  get(name: string): string | null {
    const raw = this.#raw;
    const wanted = name.toLowerCase();
    let value: string | null = null;
    for (let i = 0; i < raw.length; i += 2) {
      if (raw[i]!.toLowerCase() === wanted) value = value === null ? raw[i + 1]! : `${value}, ${raw[i + 1]!}`;
    }
    return value;
  }
}

/** The plain request over node:http's message: nothing is copied or parsed up front. */
class NodeRequest implements PlainRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: RawHeaders;
  readonly #body: Buffer | undefined;
  constructor(req: IncomingMessage, body: Buffer | undefined) {
    this.method = req.method ?? "GET";
    this.url = req.url ?? "/";
    this.headers = new RawHeaders(req.rawHeaders);
    this.#body = body;
  }
  async text(): Promise<string> {
    return this.#body ? this.#body.toString("utf8") : "";
  }
}

function send(res: ServerResponse, r: PlainResponse): void {
  if (r.status >= 400) noteFailure(res, r); // for the request listener's log line and metrics
  res.statusCode = r.status;
  writeHeaders(r, res);
  res.end(r.body);
}

/** The route key that serves `path` (its exact path, or the prefix route "…/*"), if any. */
function routeFor(routes: Routes, path: string): string | undefined {
  if (routes[path]) return path;
  const slash = path.lastIndexOf("/");
  if (slash <= 0 || slash === path.length - 1) return undefined;
  const prefix = `${path.slice(0, slash)}/*`;
  return routes[prefix] ? prefix : undefined;
}

/**
 * A node:http handler for `routes`: the route key that answered the request (a bounded label
 * for the metrics and the log), or false (untouched) for any other request, which the caller
 * hands to Next.
 */
export function protocolRouter(routes: Routes) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<string | false> => {
    const route = routeFor(routes, pathOf(req.url ?? "/"));
    if (route === undefined) return false;
    const methods = routes[route] as Methods;
    // RFC 9110 §9.3.2: HEAD is GET without the body (Node drops the body for HEAD itself).
    const endpoint = methods[req.method === "HEAD" ? "GET" : (req.method ?? "GET")];
    if (!endpoint) {
      send(res, { ...json({ error: "invalid_request", error_description: `${req.method} is not allowed here` }, 405, { Allow: Object.keys(methods).join(", ") }), error: "invalid_request" });
      return route;
    }
    try {
      const body = req.method === "GET" || req.method === "HEAD" ? undefined : await readBody(req);
      if (body === null) {
        send(res, { ...json({ error: "invalid_request", error_description: "The request body is too large" }, 413), error: "invalid_request" });
        return route;
      }
      send(res, await endpoint(new NodeRequest(req, body)));
    } catch (err) {
      // A bug (endpoints answer errors themselves): the listener logs it with its stack.
      const r = { ...json({ error: "server_error", error_description: "The server could not complete the request." }, 500), error: "server_error", fault: err };
      if (!res.headersSent) send(res, r);
      else {
        noteFailure(res, r);
        res.end();
      }
    }
    return route;
  };
}
