// `npm run db:check`: fails when the two provider schemas or their migrations drift from
// prisma/models.prisma. For each provider it builds one throw-away database from the checked-in
// migrations and another from the SQL that the schema alone produces (`migrate diff
// --from-empty`), introspects both and compares. (`migrate diff --from-migrations` needs a
// shadow database that the driver-adapter engine cannot give here, --from-schema-datasource is
// unsupported with adapters, and `db push` is an order of magnitude slower.)
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import pg from "pg";
import Database from "better-sqlite3";
import { renderAll } from "./prisma-render";
import { prisma } from "./lib/prisma";

const pgServer = process.env.PG_TEST_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const problems: string[] = [];

const drifted = renderAll(true);
if (drifted.length) problems.push(`${drifted.join(", ")} out of date: run \`npm run db:render\``);

const migrations = (p: string) =>
  readdirSync(`prisma/${p}/migrations`, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
const [sqliteMigrations, pgMigrations] = [migrations("sqlite"), migrations("postgres")];
if (sqliteMigrations.join() !== pgMigrations.join()) {
  problems.push(`migration folders differ: sqlite [${sqliteMigrations}] vs postgres [${pgMigrations}]`);
}

function schemaSql(provider: "sqlite" | "postgres", url: string): string {
  const script = prisma(
    ["migrate", "diff", "--from-empty", "--to-schema-datamodel", `prisma/${provider}/schema.prisma`, "--script"],
    { ...process.env, DATABASE_URL: url },
  );
  return script;
}

function introspect(url: string): string {
  const out = prisma(["db", "pull", "--print"], { ...process.env, DATABASE_URL: url });
  return out.slice(out.indexOf("generator client"));
}

function compare(provider: string, fromMigrations: string, fromSchema: string) {
  // Column order differs legitimately (ALTER TABLE ADD COLUMN appends), so compare the lines
  // as sorted multisets: any change of a field, type, attribute, index or relation shows.
  const a = introspect(fromMigrations);
  const b = introspect(fromSchema);
  const sorted = (s: string) => s.split("\n").map((l) => l.trim()).filter(Boolean).sort().join("\n");
  if (sorted(a) !== sorted(b)) {
    const aLines = new Set(a.split("\n"));
    const bLines = new Set(b.split("\n"));
    const diff = [
      ...[...bLines].filter((l) => !aLines.has(l)).map((l) => `  schema only:     ${l.trim()}`),
      ...[...aLines].filter((l) => !bLines.has(l)).map((l) => `  migrations only: ${l.trim()}`),
    ];
    problems.push(
      `${provider}: migrations do not produce the schema; run \`npm run db:migration -- <name>\`:\n${diff.join("\n")}`,
    );
  }
}

async function main() {
  const dir = mkdtempSync(path.join(tmpdir(), "latchkey-check-"));
  const admin = new pg.Client({ connectionString: pgServer });
  const names = [1, 2].map(() => `latchkey_check_${randomBytes(6).toString("hex")}`);
  await admin.connect();
  try {
    const a = `file:${path.join(dir, "migrations.db")}`;
    const b = `file:${path.join(dir, "schema.db")}`;
    prisma(["migrate", "deploy"], { ...process.env, DATABASE_URL: a });
    const sqlite = new Database(b.slice("file:".length));
    sqlite.exec(schemaSql("sqlite", b));
    sqlite.close();
    compare("sqlite", a, b);

    for (const n of names) await admin.query(`CREATE DATABASE ${n}`);
    const url = (n: string) => Object.assign(new URL(pgServer), { pathname: `/${n}` }).toString();
    const [pa, pb] = names.map(url) as [string, string];
    prisma(["migrate", "deploy"], { ...process.env, DATABASE_URL: pa });
    const client = new pg.Client({ connectionString: pb });
    await client.connect();
    await client.query(schemaSql("postgres", pb));
    await client.end();
    compare("postgres", pa, pb);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    for (const n of names) await admin.query(`DROP DATABASE IF EXISTS ${n} WITH (FORCE)`).catch(() => undefined);
    await admin.end().catch(() => undefined);
  }
  if (problems.length) {
    console.error(`Schema drift:\n- ${problems.join("\n- ")}`);
    process.exit(1);
  }
  console.log("db:check: schemas, migrations and both providers agree.");
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
