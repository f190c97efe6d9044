// The node:http request listener of `npm start` / `npm run dev` (scripts/start.ts; lib/http/server.ts limits what reaches it): the client
// address from the socket, a request id, the configuration-dependent headers (HSTS), then the
// lean protocol router, else Next with a fresh CSP nonce. Here rather than in next.config.js
// because HSTS depends on ISSUER at run time (next.config.js headers are fixed at build time) and
// a nonce must be new on every response.
//
// Every request is observed here, once, when it is answered: its latency in the metrics (when
// they are on, METRICS_TOKEN) by route and status class, and a failed one (4xx/5xx on a protocol
// endpoint, 5xx anywhere) as one log line (lib/log/logger.ts). Per request that costs one clock
// read at the start and one at the end, a request id (the client's, if well-formed, else a random
// UUID) set as a response header, and with metrics on one histogram observation: no await, and
// nothing more on a successful request.
import { randomUUID } from "node:crypto";
import { IncomingMessage, type ServerResponse } from "node:http";
import { CLIENT_IP_HEADER, clientIp } from "./client-ip";
import { pathOf } from "./form";
import { failureOf } from "./request-outcome";
import { serverLog, type ServerLog } from "../log/logger";
import { statusClass, type Metrics } from "../ops/metrics";
import { escapeHtml, HTML_PAGE_CSP, htmlDocument } from "./html-page";
import { SECURITY_HEADERS } from "./security-headers.mjs";
import { checkServerActionBody } from "./server-action-body";
import { hstsHeader, newNonce, pageCsp } from "./transport-security";

export interface ListenerOptions {
  issuer: string;
  dev: boolean;
  /** The lean router: the route that answered the request, or false. Null in development. */
  protocol: ((req: IncomingMessage, res: ServerResponse) => Promise<string | false>) | null;
  /** Next's request handler. */
  next: (req: IncomingMessage, res: ServerResponse) => unknown;
  /** The metrics to count requests in; null when they are off (no METRICS_TOKEN). */
  metrics?: Metrics | null;
  /** Where a failed request is logged (default: the process's log). */
  log?: ServerLog;
}

/** The route label of everything Next serves (pages, server actions, next-auth): never a raw path. */
const NEXT_ROUTE = "next";

/** X-Request-Id values taken from the client: short, and nothing a log reader could trip on. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

export function requestListener(o: ListenerOptions) {
  const hsts = hstsHeader(o.issuer);
  const observe = observer(o.metrics ?? null, o.log ?? serverLog());
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const start = performance.now();
    const given = req.headers["x-request-id"];
    const id = typeof given === "string" && REQUEST_ID.test(given) ? given : randomUUID();
    res.setHeader("X-Request-Id", id);
    // The only trustworthy client address is the socket's; never a header the client sent.
    req.headers[CLIENT_IP_HEADER] = (req.socket.remoteAddress ?? "").replace(/^::ffff:(?=\d+\.)/, "");
    if (hsts) res.setHeader("Strict-Transport-Security", hsts);
    if (o.protocol) {
      const route = await o.protocol(req, res);
      if (route !== false) {
        observe(req, res, route, start, id);
        return;
      }
    }
    // Next answers in its own time: observed when the response is done (or the client went away).
    res.once("close", () => observe(req, res, NEXT_ROUTE, start, id));
    const action = isPossibleServerAction(req) ? await readActionBody(req, res) : req;
    if (!action) return;
    // Next takes the nonce from the request's CSP header (and renders it on its scripts): set
    // it here, replacing whatever the client sent, and send the same policy back.
    const csp = pageCsp(newNonce(), o.dev);
    req.headers["content-security-policy"] = csp;
    delete req.headers["content-security-policy-report-only"];
    res.setHeader("Content-Security-Policy", csp);
    void o.next(action, res);
  };
}

/** Counts a request in the metrics, and logs it if it failed (see the file comment). */
function observer(metrics: Metrics | null, log: ServerLog) {
  // One histogram child per route and status class, made on first use: no label object per request.
  const children = new Map<string, ReturnType<Metrics["requests"]["labels"]>[]>();
  return (req: IncomingMessage, res: ServerResponse, route: string, start: number, id: string): void => {
    const ms = performance.now() - start;
    const status = res.statusCode;
    if (metrics) {
      const cls = statusClass(status);
      let byClass = children.get(route);
      if (!byClass) children.set(route, (byClass = []));
      const i = Math.floor(status / 100);
      (byClass[i] ??= metrics.requests.labels(route, cls)).observe(ms / 1000);
    }
    // Failures: every 4xx/5xx of a protocol endpoint; of pages only 5xx (a 404 page is not news).
    if (status < 400 || (route === NEXT_ROUTE && status < 500)) return;
    const failure = failureOf(res);
    if (metrics && failure?.error !== undefined) metrics.oauthErrors.inc({ route, error: failure.error });
    log.failedRequest({
      reqId: id,
      method: req.method ?? "GET",
      route,
      ...(route === NEXT_ROUTE ? { path: pathOf(req.url ?? "/").slice(0, 256) } : {}),
      status,
      error: failure?.error,
      durationMs: ms,
      ip: clientIp(req.headers),
      fault: failure?.fault,
    });
  };
}

/** What Next would try to decode as a server action: a POST with Next-Action, or a multipart POST. */
const isPossibleServerAction = (req: IncomingMessage) =>
  req.method === "POST" &&
  (req.headers["next-action"] !== undefined || (req.headers["content-type"] ?? "").toLowerCase().startsWith("multipart/form-data"));

/**
 * Reads a server-action body and checks it (server-action-body.ts). Valid: a request carrying
 * the same body for Next (the original's stream has been read). Not: answers 400 with a page
 * and returns null. The body is bounded by lib/http/server.ts before this runs.
 */
async function readActionBody(req: IncomingMessage, res: ServerResponse): Promise<IncomingMessage | null> {
  const chunks: Buffer[] = [];
  try {
    for await (const c of req) chunks.push(c as Buffer);
  } catch {
    return null; // the client went away
  }
  const body = Buffer.concat(chunks);
  const header = req.headers["next-action"];
  const why = await checkServerActionBody(req.headers["content-type"] ?? "", typeof header === "string" ? header : header ? "" : null, body);
  if (why) {
    badActionBody(res, why);
    return null;
  }
  const copy = new IncomingMessage(req.socket);
  copy.method = req.method;
  copy.url = req.url;
  copy.headers = req.headers;
  copy.rawHeaders = req.rawHeaders;
  copy.httpVersion = req.httpVersion;
  copy.httpVersionMajor = req.httpVersionMajor;
  copy.httpVersionMinor = req.httpVersionMinor;
  // Complete: node:http destroys the socket when a request that is not complete is destroyed.
  copy.complete = true;
  copy.push(body);
  copy.push(null);
  return copy;
}

function badActionBody(res: ServerResponse, why: string): void {
  const html = htmlDocument(
    "This form could not be read",
    `<p>${escapeHtml("What your browser sent is not a form this page knows. Go back, reload the page and try again.")}</p>\n<p><a href="/">Return to Latchkey</a></p>`,
    { developerDetails: `HTTP 400: the server-action request body is malformed: ${why}` },
  );
  res.statusCode = 400;
  for (const { key, value } of SECURITY_HEADERS) res.setHeader(key, value);
  res.setHeader("Content-Type", "text/html; charset=utf-8");
  res.setHeader("Cache-Control", "no-store");
  res.setHeader("Content-Security-Policy", HTML_PAGE_CSP);
  res.end(html);
}
