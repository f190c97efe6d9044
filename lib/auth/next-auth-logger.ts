// next-auth's logger, replaced: its default prints metadata as is, and that metadata can carry
// request-controlled text (a callbackUrl, a thrown message; anyone can POST arbitrary "client"
// log entries to /api/auth/_log, which next-auth logs on the server). Every entry is one
// escaped line (lib/log/safe-log.ts). Debug output is dropped, as next-auth does without `debug`.
import type { LoggerInstance } from "next-auth";
import { escapeForLog, logText } from "../log/safe-log";

export const nextAuthLogger: LoggerInstance = {
  error(code, metadata) {
    console.error(`[next-auth][error][${escapeForLog(String(code))}] ${logText(metadata)}`);
  },
  warn(code) {
    console.warn(`[next-auth][warn][${escapeForLog(String(code))}]`);
  },
  debug() {},
};
