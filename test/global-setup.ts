// Vitest global setup: migrate one template database per provider, once per run; each test
// suite then gets a cheap copy (see db.ts). Dropped at the end of the run.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { migrateDeploy } from "../scripts/lib/prisma";
import { pgServerUrl } from "./db";

declare module "vitest" {
  export interface ProvidedContext {
    sqliteTemplate: string;
    pgTemplate: string;
  }
}

export default async function setup(project: TestProject) {
  const dir = mkdtempSync(path.join(tmpdir(), "latchkey-template-"));
  const file = path.join(dir, "template.db");
  migrateDeploy({ ...process.env, DATABASE_URL: `file:${file}` });

  const name = `latchkey_template_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: pgServerUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(pgServerUrl());
  url.pathname = `/${name}`;
  migrateDeploy({ ...process.env, DATABASE_URL: url.toString() });

  project.provide("sqliteTemplate", file);
  project.provide("pgTemplate", name);
  return async () => {
    rmSync(dir, { recursive: true, force: true });
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  };
}
