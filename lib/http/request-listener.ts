// The node:http request listener of `npm start` / `npm run dev` (scripts/start.ts; lib/http/server.ts limits what reaches it): the client
// address from the socket, the configuration-dependent headers (HSTS), then the lean protocol
// router, else Next with a fresh CSP nonce. Here rather than in next.config.js because HSTS
// depends on ISSUER at run time (next.config.js headers are fixed at build time) and a nonce
// must be new on every response.
import type { IncomingMessage, ServerResponse } from "node:http";
import { CLIENT_IP_HEADER } from "./client-ip";
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
    // Next takes the nonce from the request's CSP header (and renders it on its scripts): set
    // it here, replacing whatever the client sent, and send the same policy back.
    const csp = pageCsp(newNonce(), o.dev);
    req.headers["content-security-policy"] = csp;
    delete req.headers["content-security-policy-report-only"];
    res.setHeader("Content-Security-Policy", csp);
    void o.next(req, res);
  };
}
