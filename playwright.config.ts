import { existsSync } from "node:fs";
import { defineConfig, devices } from "@playwright/test";
import { BASE_URL, DATA_DIR, SMTP_PORT, serverEnv, smtpInboxEnv } from "./e2e/env";

/**
 * The browser: $CHROMIUM_PATH, else Debian's chromium when installed (Playwright cannot
 * download its own browsers on our machines), else Playwright's own Chromium, so that the
 * suite also runs the usual way (`npx playwright install chromium`) elsewhere.
 */
function chromiumExecutable(): string | undefined {
  const fromEnv = process.env.CHROMIUM_PATH?.trim();
  if (fromEnv) return fromEnv;
  return existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined;
}

const CI = Boolean(process.env.CI);

/**
 * Specs that change the server's run-time settings (the admin Settings page: a verified email to
 * sign in, two-step verification for admins or everyone), which every sign-in reads: named
 * `*.serial.spec.ts` (`*.serial.nojs.spec.ts` with JavaScript off, set in the file), they run in
 * the "serial" project, after every other spec and one at a time, so that no other test signs in
 * while a setting is changed.
 */
const SERIAL = /\.serial(\.nojs)?\.spec\.ts$/;

const launchOptions = {
  executablePath: chromiumExecutable(),
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
  ],
};

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results",
  globalSetup: "./e2e/global-setup.ts",
  // Two files at a time, in CI too: the tests share one server and one database but each makes its
  // own users and clients, and the second worker fills the first's waiting time (about 1.5x on 2
  // cores). Until issue 18 §2 concurrent writers to SQLite made the server fail now and then (a
  // Prisma transaction that read before it wrote got SQLITE_BUSY_SNAPSHOT; `cli user unlock` in
  // e2e/lockout.spec.ts failed in two CI runs of two); Prisma's transactions now take the write
  // lock first and wait for it asynchronously (lib/db/sqlite-lock.ts).
  workers: 2,
  fullyParallel: false,
  forbidOnly: CI,
  retries: CI ? 1 : 0,
  reporter: [["list"], ["html", { open: "never" }]],
  timeout: 30_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL: BASE_URL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  projects: [
    {
      name: "chromium",
      testIgnore: [/\.nojs\.spec\.ts$/, SERIAL],
      use: { ...devices["Desktop Chrome"], launchOptions },
    },
    {
      // The same browser with JavaScript off: every form must work as plain HTML (issue #15).
      name: "chromium-nojs",
      testMatch: /\.nojs\.spec\.ts$/,
      testIgnore: SERIAL,
      use: { ...devices["Desktop Chrome"], launchOptions, javaScriptEnabled: false },
    },
    {
      name: "serial",
      testMatch: SERIAL,
      dependencies: ["chromium", "chromium-nojs"],
      workers: 1,
      use: { ...devices["Desktop Chrome"], launchOptions },
    },
  ],
  webServer: [
    {
      // The mail server the portal sends to (SMTP_URL in serverEnv): every message lands in
      // DATA_DIR/inbox, where e2e/support/mail.ts finds it.
      command: "npx tsx e2e/smtp-inbox.ts",
      port: SMTP_PORT,
      env: smtpInboxEnv(),
      reuseExistingServer: false,
      timeout: 30_000,
      stdout: "ignore",
      stderr: "pipe",
      name: "smtp inbox",
    },
    {
      // Serves the output of `npm run build` (.next/ and dist/start.js), which `npm run test:e2e` runs first.
      command: "npm start",
      url: `${BASE_URL}/api/health`,
      env: serverEnv(),
      reuseExistingServer: false,
      timeout: 120_000,
      stdout: CI ? "pipe" : "ignore",
      stderr: "pipe",
      // Let the server close the database cleanly.
      gracefulShutdown: { signal: "SIGTERM", timeout: 5_000 },
      name: `latchkey (DATA_DIR=${DATA_DIR})`,
    },
  ],
});
