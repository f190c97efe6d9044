// Throw-away databases for tests: a fresh SQLite file, or a fresh PostgreSQL database on the
// server at PG_TEST_URL (default the local one), each a copy of a template that
// global-setup.ts migrated with the checked-in migrations. Random names, so parallel runs
// never collide. Tests only.
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { inject } from "vitest";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { randomBytes } from "node:crypto";
import { createDb, prepareDb, type Db } from "../lib/db/client";
import { protocolStores } from "../lib/db/protocol";
import { createSql } from "../lib/db/protocol/sql";
import type { OAuthStores } from "../lib/oauth/types";
import type { DbProvider } from "../lib/config/database-url";

export const PROVIDERS: DbProvider[] = ["sqlite", "postgres"];

export function pgServerUrl(): string {
  return process.env.PG_TEST_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
}

export interface TempDatabase {
  provider: DbProvider;
  url: string;
  db: Db;
  /** Runs `fn` before the database is dropped (e.g. to close another connection to it). */
  onDrop(fn: () => Promise<void>): void;
  drop(): Promise<void>;
}

/** The protocol stores (lib/db/protocol) on `t`, as production wires them; closed with `t`. */
export function testProtocolStores(t: TempDatabase): OAuthStores {
  const sql = createSql(t.url);
  t.onDrop(() => sql.close());
  return protocolStores(t.db, sql);
}

export async function tempDatabase(provider: DbProvider): Promise<TempDatabase> {
  if (provider === "sqlite") {
    const dir = mkdtempSync(path.join(tmpdir(), "latchkey-test-"));
    const url = `file:${path.join(dir, "test.db")}`;
    copyFileSync(inject("sqliteTemplate"), path.join(dir, "test.db"));
    const db = createDb(url);
    await prepareDb(db, url);
    const cleanups: (() => Promise<void>)[] = [];
    return {
      provider,
      url,
      db,
      onDrop: (fn) => cleanups.push(fn),
      async drop() {
        for (const fn of cleanups) await fn();
        await db.$disconnect();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const name = `latchkey_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: pgServerUrl() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${inject("pgTemplate")}`);
  } finally {
    await admin.end();
  }
  const url = new URL(pgServerUrl());
  url.pathname = `/${name}`;
  const db = createDb(url.toString());
  const cleanups: (() => Promise<void>)[] = [];
  return {
    provider,
    url: url.toString(),
    db,
    onDrop: (fn) => cleanups.push(fn),
    async drop() {
      for (const fn of cleanups) await fn();
      await db.$disconnect();
      const c = new pg.Client({ connectionString: pgServerUrl() });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
