// Tests only: the process's log (lib/log/logger.ts) written to memory instead of stdout, so a
// test can read exactly the JSON lines the server would write.
import { ServerLog, type LogOptions } from "../lib/log/logger";
import { processWide } from "../lib/process-wide";

export interface CapturedLog {
  log: ServerLog;
  /** The lines as written (one JSON document each, newline included). */
  raw: string[];
  /** The lines, parsed. */
  lines(): Record<string, unknown>[];
  /** Puts the process's own log back. */
  restore(): void;
}

/** Replaces the process's log with one that writes to memory (no rate limit unless `perSecond` is given). */
export function captureLog(o: Omit<LogOptions, "destination"> = {}): CapturedLog {
  const before = processWide.log;
  const raw: string[] = [];
  const log = new ServerLog({ perSecond: 0, ...o, destination: { write: (s: string) => void raw.push(s) } });
  processWide.log = log;
  return {
    log,
    raw,
    lines: () => raw.map((l) => JSON.parse(l) as Record<string, unknown>),
    restore() {
      log.flush();
      processWide.log = before;
    },
  };
}
