// `npm start` (production) and `npm run dev`: validate configuration, migrate the database,
// make sure an admin exists, then serve the portal.
import { createServer } from "node:http";
import path from "node:path";
import next from "next";
import { ConfigError, loadConfig, type AppConfig } from "../lib/config";
import { db, prepareDb } from "../lib/db/client";
import { stores } from "../lib/db";
import { ensureAdmin } from "../lib/auth/bootstrap";
import { requestListener } from "../lib/http/server";
import { migrateIfNeeded } from "./lib/prisma";
import { oauthDeps } from "../lib/http/deps";
import { protocolRouter } from "../lib/http/node-adapter";
import { PROTOCOL_ROUTES } from "../lib/http/routes";

const dev = process.argv.includes("--dev");

function config(): AppConfig {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`Latchkey cannot start.\n${err.message}`);
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
  const admin = await ensureAdmin(stores(), cfg);
  // Creates the first signing keys (ES256, RS256) if there are none, before the first request.
  await oauthDeps().keys.jwks();

  const app = next({ dev, dir: path.resolve(import.meta.dirname, ".."), port: cfg.port });
  await app.prepare();
  const handle = app.getRequestHandler();
  // Production: protocol endpoints go straight to their handlers; `next dev` serves them
  // through the app/ route files (the same functions), so development sees no difference.
  const protocol = dev ? null : protocolRouter(PROTOCOL_ROUTES, new URL(cfg.issuer).origin);
  const server = createServer(requestListener({ issuer: cfg.issuer, dev, protocol, next: handle }));
  server.listen(cfg.port, () => {
    console.log(`Latchkey is running at ${cfg.issuer} (${dev ? "development" : "production"}, ${cfg.dbProvider}).`);
    if (admin.created && admin.generatedPassword) {
      console.log(
        `\nCreated the first admin account. Sign in at ${cfg.issuer}/signin with\n` +
          `  Email:    ${admin.email}\n  Password: ${admin.generatedPassword}\n` +
          "This password is shown only this once: sign in and change it.\n",
      );
    } else if (admin.created) {
      console.log(`Created the admin account ${admin.email} (password from ADMIN_PASSWORD).`);
    } else {
      console.log(`Sign in at ${cfg.issuer}/signin.`);
    }
  });
  // Stop taking connections, let requests in flight finish, then exit; idle keep-alive
  // connections would otherwise hold the server open, so they are closed, and whatever is
  // still running after 5 s is cut off.
  const stop = () => {
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

main().catch((err) => {
  console.error("Latchkey failed to start:", err instanceof Error ? err.message : err);
  process.exit(1);
});
