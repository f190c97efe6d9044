// `npm start` (production: `node dist/start.js`, this file bundled by `npm run build`) and
// `npm run dev` (tsx): validate configuration, migrate the database, make sure an admin exists,
// then serve the portal until SIGTERM/SIGINT (lib/http/shutdown.ts).
import next from "next";
import { applyListenFlags, ConfigError, listenHost, loadConfig, type AppConfig } from "../lib/config";
import { prepareDb } from "../lib/db/client";
import { closeRuntime, data, db, oauthDeps, serverMetrics } from "../lib/runtime";
import { log } from "../lib/log/logger";
import { mailStatusLine } from "../lib/mail/status";
import { ensureAdmin } from "../lib/auth/bootstrap";
import { requestListener } from "../lib/http/request-listener";
import { migrateIfNeeded } from "./lib/prisma";
import { protocolRouter } from "../lib/http/node-adapter";
import { PROTOCOL_ROUTES } from "../lib/http/routes";
import { createLimitedServer } from "../lib/http/server";
import { shutdownOnSignals } from "../lib/http/shutdown";
import { purgeStore, scheduleEvery } from "../lib/db/purge";
import { projectRoot } from "./lib/project-root";

const dev = process.argv.includes("--dev");

function config(): AppConfig {
  try {
    // `npm start -- -p 4000 -H 0.0.0.0` (as `next start` takes them) over PORT and HOST.
    Object.assign(process.env, applyListenFlags(process.argv.slice(2), process.env));
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      log().fatal(`Latchkey cannot start. ${err.message}`);
      process.exit(1);
    }
    throw err;
  }
}

async function main() {
  const cfg = config();
  process.env.DATABASE_URL = cfg.databaseUrl;
  process.env.NEXTAUTH_URL ??= cfg.issuer;

  await migrateIfNeeded(db(), cfg.dbProvider);
  await prepareDb(db(), cfg.databaseUrl);
  const admin = await ensureAdmin(data(), cfg);
  // Creates the first signing keys (ES256, RS256) if there are none, before the first request.
  await oauthDeps().keys.jwks();

  const host = listenHost(cfg, dev);
  const app = next({ dev, dir: projectRoot(import.meta.dirname), hostname: host, port: cfg.port });
  await app.prepare();
  const handle = app.getRequestHandler();
  // Production: protocol endpoints go straight to their functions; `next dev` serves them
  // through the app/ route files (the same functions), so development sees no difference.
  const protocol = dev ? null : protocolRouter(PROTOCOL_ROUTES);
  // Body size, slow clients and the connection count are limited before anything else runs
  // (lib/http/server.ts): Next buffers whole bodies.
  // Metrics cost a little per request: counted only when something may read them (METRICS_TOKEN).
  const metrics = cfg.metricsToken ? serverMetrics() : null;
  const server = createLimitedServer(cfg.server, requestListener({ issuer: cfg.issuer, dev, protocol, next: handle, metrics }));
  server.listen(cfg.port, host, () => {
    log().info(
      `Latchkey is running at ${cfg.issuer} (${dev ? "development" : "production"}, ${cfg.dbProvider}), ` +
        `listening on ${host.includes(":") ? `[${host}]` : host}:${cfg.port}.`,
    );
    if (admin.created && admin.passwordFile) {
      // The password itself stays out of the log (lib/auth/bootstrap.ts says why).
      log().info(
        `Created the first admin account ${admin.email}. Its password is in ${admin.passwordFile} ` +
          `(readable only by this server's user). Sign in at ${cfg.issuer}/signin: you will be asked to ` +
          "choose a new password at once, and the file is deleted on the next start after that.",
      );
    } else if (admin.created) {
      log().info(`Created the admin account ${admin.email} (password from ADMIN_PASSWORD).`);
    } else {
      log().info(`Sign in at ${cfg.issuer}/signin.`);
    }
    const mail = mailStatusLine(cfg.mail);
    if (mail) log()[mail.level](mail.line);
  });
  // Expired rows, on every instance, each on its own jittered schedule (lib/db/purge.ts).
  const stopPurging =
    cfg.retention.purgeIntervalSeconds > 0
      ? scheduleEvery(async () => {
          const counts = await purgeStore(db()).purgeExpired({
            now: new Date(),
            auditRetentionDays: cfg.retention.auditDays,
            throttleWindowSeconds: cfg.throttle.windowSeconds,
            unusedClientTtlSeconds: cfg.openRegistrationUnusedTtlSeconds,
          });
          const removed = Object.entries(counts).filter(([, n]) => n > 0);
          if (removed.length) log().info({ purged: Object.fromEntries(removed) }, `Purged expired rows: ${removed.map(([t, n]) => `${t} ${n}`).join(", ")}.`);
        }, cfg.retention.purgeIntervalSeconds * 1000)
      : () => undefined;
  shutdownOnSignals(server, {
    graceMs: cfg.shutdownGraceSeconds * 1000,
    close: async () => {
      stopPurging();
      await closeRuntime();
    },
    log: (line) => log().info(line),
    exit: (code) => process.exit(code),
  });
}

main().catch((err) => {
  log().fatal({ err }, `Latchkey failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
