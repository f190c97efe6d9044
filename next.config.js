// @ts-check
import { SECURITY_HEADERS } from "./lib/http/security-headers.mjs";

/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  serverExternalPackages: [
    "@prisma/client",
    "@prisma/adapter-better-sqlite3",
    "@prisma/adapter-pg",
    "better-sqlite3",
    "pg",
    "@node-rs/argon2",
    // Loaded by Node, not bundled: one module instance for the lean router's copy of lib/ and
    // Next's (lib/process-wide.ts), and prom-client's optional OpenTelemetry import stays optional.
    "pino",
    "prom-client",
  ],
  async headers() {
    // Our server (lib/http/server.ts) sends the pages' Content-Security-Policy, with a fresh
    // nonce and frame-ancestors 'none'; a header here would replace it.
    return [{ source: "/:path*", headers: SECURITY_HEADERS.filter((h) => h.key !== "Content-Security-Policy") }];
  },
};

export default nextConfig;
