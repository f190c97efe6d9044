// The composition root under `npm start`, which loads lib/ twice in one process: both copies
// must find the same process-wide objects, and each keeps its own stores (instanceof).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it, vi } from "vitest";
import type { Sql } from "./db/protocol/sql";

const dir = mkdtempSync(path.join(tmpdir(), "latchkey-runtime-"));
vi.stubEnv("DATABASE_URL", `file:${path.join(dir, "app.db")}`);
vi.stubEnv("DATA_DIR", dir);
vi.stubEnv("LATCHKEY_SECRET", "x".repeat(40));

afterAll(async () => {
  const { processWide } = await import("./process-wide");
  await processWide.db?.$disconnect();
  await (processWide.sql as Sql | undefined)?.close();
  processWide.db = processWide.oauth = processWide.anonymousWrites = processWide.sql = undefined;
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

  it("closeRuntime (at shutdown) commits what the SQLite writer had queued, then closes both connections", async () => {
    const { closeRuntime, oauthDeps } = await import("./runtime");
    const { processWide } = await import("./process-wide");
    oauthDeps();
    const sql = processWide.sql as Sql | undefined;
    if (!sql) throw new Error("oauthDeps() opened no SQL connection");
    await sql.run('CREATE TABLE "queued" ("id" INTEGER)', []);
    const writes = [1, 2, 3].map((id) => sql.run('INSERT INTO "queued" ("id") VALUES (?)', [id]));
    await closeRuntime();
    await Promise.all(writes);
    expect(processWide.sql).toBeUndefined();
    expect(processWide.db).toBeUndefined();
    await expect(sql.run('INSERT INTO "queued" ("id") VALUES (?)', [4])).rejects.toThrow(/closed/);
    const file = new Database(path.join(dir, "app.db"), { readonly: true });
    try {
      expect(file.prepare('SELECT count(*) AS n FROM "queued"').get()).toEqual({ n: 3 });
    } finally {
      file.close();
    }
  });
});
