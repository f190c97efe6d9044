// Graceful shutdown of the node:http server on SIGTERM/SIGINT (wired by scripts/start.ts).
//
// 1. Stop accepting at once: the listening socket closes, so a new connection is refused and the
//    client (or the load balancer) goes to another instance or retries.
// 2. Every response that starts from now on says `Connection: close` (RFC 9112 §9.6) and the
//    connection ends after it, so a keep-alive client reconnects elsewhere instead of sending its
//    next request into a closing socket.
// 3. Idle keep-alive connections are closed DRAIN_IDLE_MS after the signal (and whichever are
//    idle again every DRAIN_IDLE_MS after that; with step 2, only a response whose head went out
//    before the signal leaves its connection idle and open). Not at once: under load a connection
//    that looks idle often has its next request already on the way (or unread in the kernel's
//    buffer), and closing it then resets that request, which the client cannot safely retry (a
//    POST to the token endpoint may have rotated a refresh token). That is also why node's own
//    `server.close()` is not used: since Node 19 it closes idle connections at once.
// 4. Requests in flight finish, up to the grace (SHUTDOWN_GRACE_SECONDS); connections still busy
//    then are cut off and counted.
// 5. Then the caller closes what the process opened (the SQLite writer commits what was queued,
//    the pools end) and the process exits: 0, or 1 when the grace ran out. A second signal, more
//    than DUPLICATE_SIGNAL_MS after the first, exits at once.
//
// While draining, isDraining() is true in every copy of lib/ (process-wide), for a readiness check.
import { type OutgoingHttpHeader, type OutgoingHttpHeaders, type Server, ServerResponse } from "node:http";
import net from "node:net";
import { processWide } from "../process-wide";

/** How long an idle keep-alive connection may stay open while draining. */
export const DRAIN_IDLE_MS = 1000;

/**
 * A signal this soon after the first is the same request, not a second one: Ctrl-C reaches both
 * npm and the server, and npm forwards its copy too; systemd signals every process of the unit.
 */
const DUPLICATE_SIGNAL_MS = 1000;

/** Closing the database after the last request must not hold the exit for ever. */
const CLOSE_TIMEOUT_MS = 3000;

/** True from the first SIGTERM/SIGINT on: a readiness endpoint answers 503 while draining. */
export function isDraining(): boolean {
  return processWide.draining === true;
}

/**
 * node:http's response, but `Connection: close` once the process is draining. Given to
 * createServer as its `ServerResponse`: every response, the lean router's and Next's alike,
 * sends its head through writeHead (an implicit head too), so this is the one place to add it.
 * Costs each response one property read.
 */
export class DrainingAwareResponse extends ServerResponse {
  override writeHead(statusCode: number, statusMessage?: string, headers?: Headers): this;
  override writeHead(statusCode: number, headers?: Headers): this;
  override writeHead(statusCode: number, reason?: string | Headers, headers?: Headers): this {
    if (processWide.draining && !this.headersSent) this.setHeader("Connection", "close");
    return super.writeHead(statusCode, reason as string, headers);
  }
}

type Headers = OutgoingHttpHeaders | OutgoingHttpHeader[];

export interface DrainResult {
  /** Connections still busy when the grace ran out, cut off (0: everything finished). */
  cutOff: number;
}

/**
 * Drains `server` (created with DrainingAwareResponse): stops accepting, lets requests finish up
 * to `graceMs`, closes idle connections; resolves once no connection is left.
 */
export function drain(server: Server, graceMs: number): Promise<DrainResult> {
  processWide.draining = true;
  return new Promise((resolve) => {
    let done = false;
    const finish = (cutOff: number) => {
      if (done) return;
      done = true;
      clearInterval(idle);
      clearTimeout(deadline);
      resolve({ cutOff });
    };
    const idle = setInterval(() => server.closeIdleConnections(), DRAIN_IDLE_MS);
    const deadline = setTimeout(() => {
      // Idle ones first, so that what is left is what was still running.
      server.closeIdleConnections();
      setImmediate(() =>
        server.getConnections((_err, n) => {
          server.closeAllConnections();
          finish(n);
        }),
      );
    }, graceMs);
    // net.Server's close, not http.Server's (see the top of this file): stops listening now,
    // calls back once the last connection has closed.
    net.Server.prototype.close.call(server, () => finish(0));
  });
}

export interface ShutdownOptions {
  graceMs: number;
  /** Closes what the process opened (database, writer thread, timers), after the last request. */
  close: () => Promise<void>;
  log: (line: string) => void;
  exit: (code: number) => void;
}

/** Drains `server` on the first SIGTERM or SIGINT from `signals`, then closes and exits. */
export function shutdownOnSignals(server: Server, opts: ShutdownOptions, signals: NodeJS.EventEmitter = process): void {
  let first = 0;
  const onSignal = (signal: string) => {
    const now = Date.now();
    if (first) {
      if (now - first < DUPLICATE_SIGNAL_MS) return;
      opts.log(`${signal} again: exiting now, without waiting for requests in flight.`);
      opts.exit(1);
      return;
    }
    first = now;
    opts.log(`${signal}: no longer accepting connections; letting requests in flight finish (up to ${opts.graceMs / 1000} s).`);
    void drain(server, opts.graceMs).then(async ({ cutOff }) => {
      if (cutOff > 0) opts.log(`The shutdown grace ran out: ${cutOff} connection(s) with requests still running were cut off.`);
      const closed = await closeWithin(opts, CLOSE_TIMEOUT_MS);
      const code = closed && cutOff === 0 ? 0 : 1;
      opts.log(`Stopped (exit code ${code}).`);
      opts.exit(code);
    });
  };
  signals.on("SIGTERM", onSignal);
  signals.on("SIGINT", onSignal);
}

/** opts.close(), logging a failure or a hang; true if it closed in time. */
async function closeWithin(opts: ShutdownOptions, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    opts.close().then(
      () => "closed" as const,
      (err: unknown) => {
        opts.log(`Closing the database failed: ${err instanceof Error ? err.message : String(err)}`);
        return "failed" as const;
      },
    ),
    new Promise<"timeout">((r) => {
      timer = setTimeout(() => r("timeout"), ms);
    }),
  ]);
  clearTimeout(timer);
  if (outcome === "timeout") opts.log(`Closing the database took more than ${ms / 1000} s; exiting without waiting for it.`);
  return outcome === "closed";
}
