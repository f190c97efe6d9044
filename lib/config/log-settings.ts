// LOG_LEVEL and LOG_FAILURES_PER_SECOND, read where the logger is made (lib/log/logger.ts), which
// may be before or without the rest of the configuration (the CLI, a background thread). Start-up
// validates both with everything else (lib/config/index.ts), so a bad value stops the server with
// a message; here a value that is not valid falls back to the default.
import { z } from "zod";

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

export const logLevelSchema = z.enum(LOG_LEVELS, { error: `LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")}` }).default("info");
export const failuresPerSecondSchema = z.coerce.number().int().min(0).default(10);

export function logSettings(env: NodeJS.ProcessEnv = process.env): { level: string; perSecond: number } {
  const level = logLevelSchema.safeParse(env.LOG_LEVEL || undefined);
  const perSecond = failuresPerSecondSchema.safeParse(env.LOG_FAILURES_PER_SECOND || undefined);
  return { level: level.success ? level.data : "info", perSecond: perSecond.success ? perSecond.data : 10 };
}
