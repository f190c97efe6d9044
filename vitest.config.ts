import { defineConfig } from "vitest/config";
import path from "node:path";

export default defineConfig({
  // "@test/…": test support (test/), kept out of the production folders.
  resolve: { alias: { "@test": path.resolve(import.meta.dirname, "test"), "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["lib/**/*.test.ts", "scripts/**/*.test.ts", "bench/**/*.test.ts", "test/**/*.test.ts", "examples/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    environment: "node",
    // Data-layer suites create their own throw-away databases; migrations take a moment.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Three files at a time even on two cores: the data-layer suites spend much of their time
    // waiting on PostgreSQL, migrations and argon2 (the default, one per spare core, is one file at
    // a time on CI's 2 cores; three took the suite from 186 s to 122 s there).
    maxWorkers: 3,
  },
});
