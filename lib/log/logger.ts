// The server's log: JSON lines (pino) on stdout, one event a line. The CLI sends them to stderr
// (its stdout is one JSON result; scripts/cli.ts).
//
// - A failed request is ONE line (logFailedRequest, from lib/http/request-listener.ts): method,
//   route, status, OAuth error code, duration, request id, client address. Never a query string,
//   a header, a body, a token, a code or a password. A stack only for an unexpected exception (a
//   bug); expected failures (4xx, OAuth errors, 503 while the database is away) have none.
// - Rate-limited per kind (route, status, error code, or the message of any other error line):
//   at most LOG_FAILURES_PER_SECOND lines a second each; beyond that, lines are only counted and
//   one "suppressed K similar lines" line follows when the second is over. An outage therefore
//   writes a bounded number of lines per second however many requests fail.
// - Every line goes through safeJsonLine (CWE-117: lib/log/safe-log.ts).
//
// One logger per process (lib/process-wide.ts): both copies of lib/ write through one
// destination and share the rate limits.
import pino, { type DestinationStream, type Logger } from "pino";
import { logSettings } from "../config/log-settings";
import { processWide } from "../process-wide";
import { safeJsonLine } from "./safe-log";

/** Kinds remembered at once; beyond this, new kinds share one window (bounded memory). */
const MAX_KINDS = 1000;
const WINDOW_MS = 1000;

interface Window {
  start: number;
  count: number;
  suppressed: number;
  timer: NodeJS.Timeout | null;
}

export interface LogOptions {
  level?: string;
  /** Lines per second and kind before similar lines are only counted; 0 = no limit. */
  perSecond?: number;
  /** Where the JSON lines go: a file descriptor (1 = stdout) or a stream (tests). */
  destination?: number | DestinationStream;
}

export class ServerLog {
  readonly logger: Logger;
  readonly #perSecond: number;
  readonly #windows = new Map<string, Window>();

  constructor(o: LogOptions = {}) {
    const dest = typeof o.destination === "object" ? o.destination : pino.destination({ dest: o.destination ?? 1, sync: true });
    this.logger = pino(
      {
        level: o.level ?? "info",
        base: { pid: process.pid },
        timestamp: pino.stdTimeFunctions.isoTime,
        formatters: { level: (label) => ({ level: label }) },
      },
      { write: (line: string) => dest.write(safeJsonLine(line)) },
    );
    this.#perSecond = o.perSecond ?? 10;
  }

  /**
   * Whether a line of this kind may be written now. Beyond the limit it is counted, and one
   * summary line is written when its second is over.
   */
  admit(kind: string): boolean {
    if (this.#perSecond <= 0) return true;
    const now = Date.now();
    let w = this.#windows.get(kind);
    if (!w) {
      if (this.#windows.size >= MAX_KINDS) return this.admit("(other kinds)");
      w = { start: now, count: 0, suppressed: 0, timer: null };
      this.#windows.set(kind, w);
    } else if (now - w.start >= WINDOW_MS && w.suppressed === 0) {
      w.start = now;
      w.count = 0;
    }
    if (w.count < this.#perSecond) {
      w.count++;
      return true;
    }
    if (w.suppressed++ === 0) {
      const window = w;
      // Fires once the second is over (the next line of this kind may be long in coming).
      window.timer = setTimeout(() => this.#summarize(kind, window), Math.max(0, window.start + WINDOW_MS - now));
      window.timer.unref();
    }
    return false;
  }

  #summarize(kind: string, w: Window): void {
    const n = w.suppressed;
    w.suppressed = 0;
    w.count = 0;
    w.start = Date.now();
    w.timer = null;
    this.logger.warn({ kind, suppressed: n }, `suppressed ${n} similar lines`);
  }

  /** Writes any summaries still due and forgets every window (tests; shutdown). */
  flush(): void {
    for (const [kind, w] of this.#windows) {
      if (w.timer) clearTimeout(w.timer);
      if (w.suppressed > 0) this.#summarize(kind, w);
    }
    this.#windows.clear();
  }

  /** A failed request: one line (see the file comment). */
  failedRequest(f: FailedRequest): void {
    if (!this.admit(`request ${f.route} ${f.status} ${f.error ?? ""}`)) return;
    const line = {
      reqId: f.reqId,
      method: f.method,
      route: f.route,
      ...(f.path !== undefined ? { path: f.path } : {}),
      status: f.status,
      ...(f.error !== undefined ? { error: f.error } : {}),
      durationMs: Math.round(f.durationMs * 1000) / 1000,
      ip: f.ip,
    };
    if (f.fault !== undefined) this.logger.error({ ...line, err: f.fault }, "request failed: unexpected error");
    else if (f.status >= 500) this.logger.warn(line, "request failed");
    else this.logger.info(line, "request failed");
  }

  /** An unexpected error outside a request (a background task, a thread), with its stack; rate-limited by message. */
  unexpected(message: string, err: unknown): void {
    if (this.admit(`error ${message}`)) this.logger.error({ err }, message);
  }
}

export interface FailedRequest {
  reqId: string;
  method: string;
  /** The route label (lib/http/request-listener.ts): a lean-router route or "next". */
  route: string;
  /** For pages served by Next only: the path, without the query. */
  path?: string;
  status: number;
  /** The OAuth error code of the response, if it carries one. */
  error?: string;
  durationMs: number;
  ip: string | null;
  /** An unexpected exception behind the response: logged with its stack. */
  fault?: unknown;
}

/** The process's log (made on first use, with LOG_LEVEL and LOG_FAILURES_PER_SECOND). */
export function serverLog(): ServerLog {
  return (processWide.log ??= new ServerLog({ ...logSettings(), destination: logDestination })) as ServerLog;
}

let logDestination = 1;

/** Sends the log to stderr (the CLI: its stdout carries its one JSON result). Call before the first line. */
export function logToStderr(): void {
  logDestination = 2;
}

/** The process's pino logger, for events (start-up, the purge). */
export function log(): Logger {
  return serverLog().logger;
}

/** An unexpected error outside a request, with its stack (rate-limited). */
export function logError(message: string, err: unknown): void {
  serverLog().unexpected(message, err);
}
