// `npm run db:migration -- <name>`: after editing prisma/models.prisma, writes the migration
// for both providers: the SQL from the schema as last committed (HEAD) to the schema now.
// (`prisma migrate dev` needs a shadow database that the driver-adapter engine cannot give.)
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { renderAll } from "./prisma-render";
import { prisma } from "./lib/prisma";

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("Usage: npm run db:migration -- <name_in_snake_case>");
  process.exit(2);
}
renderAll(false);
const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
const dir = mkdtempSync(path.join(tmpdir(), "latchkey-migration-"));
const urls = { sqlite: `file:${path.join(dir, "x.db")}`, postgres: process.env.PG_TEST_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres" }; // diff only reads the schemas, but the engine connects
try {
  for (const provider of ["sqlite", "postgres"] as const) {
    const before = path.join(dir, `${provider}.prisma`);
    writeFileSync(before, execFileSync("git", ["show", `HEAD:prisma/${provider}/schema.prisma`], { encoding: "utf8" }));
    const sql = prisma(
      ["migrate", "diff", "--from-schema-datamodel", before, "--to-schema-datamodel", `prisma/${provider}/schema.prisma`, "--script"],
      { ...process.env, DATABASE_URL: urls[provider] },
    );
    const out = `prisma/${provider}/migrations/${stamp}_${name}`;
    mkdirSync(out, { recursive: true });
    writeFileSync(`${out}/migration.sql`, sql);
    console.log(`wrote ${out}/migration.sql`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
