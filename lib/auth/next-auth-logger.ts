// next-auth's logger, replaced: its default prints metadata as is, and that metadata can carry
// request-controlled text (a callbackUrl, a thrown message; anyone can POST arbitrary "client"
// log entries to /api/auth/_log, which next-auth logs on the server). Every entry is one JSON
// line of the server's log (lib/log/logger.ts: escaped, CWE-117; rate-limited per code, so that
// /api/auth/_log cannot flood the disk). Debug output is dropped, as next-auth does without `debug`.
import type { LoggerInstance } from "next-auth";
import { serverLog } from "../log/logger";

/** An Error as pino's `err` (message and stack), wherever next-auth put it. */
function fields(metadata: unknown): Record<string, unknown> {
  if (metadata instanceof Error) return { err: metadata };
  if (metadata && typeof metadata === "object") {
    const { error, ...rest } = metadata as Record<string, unknown>;
    return error instanceof Error ? { err: error, metadata: rest } : { metadata };
  }
  return { metadata };
}

export const nextAuthLogger: LoggerInstance = {
  error(code, metadata) {
    const log = serverLog();
    if (log.admit(`next-auth error ${String(code)}`)) log.logger.error({ code: String(code), ...fields(metadata) }, "next-auth error");
  },
  warn(code) {
    const log = serverLog();
    if (log.admit(`next-auth warn ${String(code)}`)) log.logger.warn({ code: String(code) }, "next-auth warning");
  },
  debug() {},
};
