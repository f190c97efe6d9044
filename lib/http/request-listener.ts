// The node:http request listener of `npm start` / `npm run dev` (scripts/start.ts; lib/http/server.ts limits what reaches it): the client
// address from the socket, the configuration-dependent headers (HSTS), then the lean protocol
// router, else Next with a fresh CSP nonce. Here rather than in next.config.js because HSTS
// depends on ISSUER at run time (next.config.js headers are fixed at build time) and a nonce
// must be new on every response.
import { IncomingMessage, type ServerResponse } from "node:http";
import { CLIENT_IP_HEADER } from "./client-ip";
import { escapeHtml, HTML_PAGE_CSP, htmlDocument } from "./html-page";
import { SECURITY_HEADERS } from "./security-headers.mjs";
import { checkServerActionBody } from "./server-action-body";
import { hstsHeader, newNonce, pageCsp } from "./transport-security";

export interface ListenerOptions {
  issuer: string;
  dev: boolean;
  /** The lean router: true when it answered the request. Null in development. */
  protocol: ((req: IncomingMessage, res: ServerResponse) => Promise<boolean>) | null;
  /** Next's request handler. */
  next: (req: IncomingMessage, res: ServerResponse) => unknown;
}

export function requestListener(o: ListenerOptions) {
  const hsts = hstsHeader(o.issuer);
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    // The only trustworthy client address is the socket's; never a header the client sent.
    req.headers[CLIENT_IP_HEADER] = (req.socket.remoteAddress ?? "").replace(/^::ffff:(?=\d+\.)/, "");
    if (hsts) res.setHeader("Strict-Transport-Security", hsts);
    if (o.protocol && (await o.protocol(req, res))) return;
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
