// The composition root under `npm start`, which loads lib/ twice in one process: both copies
// must find the same process-wide objects, and each keeps its own stores (instanceof).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";

const dir = mkdtempSync(path.join(tmpdir(), "latchkey-runtime-"));
vi.stubEnv("DATABASE_URL", `file:${path.join(dir, "app.db")}`);
vi.stubEnv("DATA_DIR", dir);
vi.stubEnv("LATCHKEY_SECRET", "x".repeat(40));

afterAll(async () => {
  const { processWide } = await import("./process-wide");
  await processWide.db?.$disconnect();
  processWide.db = processWide.oauth = processWide.anonymousWrites = undefined;
  vi.unstubAllEnvs();
  rmSync(dir, { recursive: true, force: true });
});

describe("composition root", () => {
  it("two copies of the module share the Prisma client, the protocol deps and the write cap; data() is per copy", async () => {
    const a = await import("./runtime");
    vi.resetModules();
    const b = await import("./runtime");
    expect(b.db).not.toBe(a.db); // really a second copy
    expect(b.db()).toBe(a.db());
    expect(b.oauthDeps()).toBe(a.oauthDeps());
    expect(b.anonymousWrites()).toBe(a.anonymousWrites());
    expect(b.data()).not.toBe(a.data());
    expect(b.data()).toBe(b.data());
    expect(b.data().oauth).toBe(a.oauthDeps());
  });
});
