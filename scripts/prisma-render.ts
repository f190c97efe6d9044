// Renders the two provider schemas from prisma/models.prisma (see the comment there).
// `--check` only compares and exits 1 on drift.
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";

const providers = { sqlite: "sqlite", postgres: "postgresql" } as const;

export function renderSchema(name: keyof typeof providers, models: string): string {
  return `// GENERATED from prisma/models.prisma by \`npm run db:render\`. Do not edit.

generator client {
  provider     = "prisma-client"
  output       = "../../lib/db/generated/${name}"
  engineType   = "client"
  moduleFormat = "esm"
}

datasource db {
  provider = "${providers[name]}"
  url      = env("DATABASE_URL")
}

${models}`;
}

export function renderAll(check: boolean): string[] {
  const models = readFileSync("prisma/models.prisma", "utf8");
  const drifted: string[] = [];
  for (const name of Object.keys(providers) as (keyof typeof providers)[]) {
    const file = `prisma/${name}/schema.prisma`;
    const want = renderSchema(name, models);
    let have = "";
    try {
      have = readFileSync(file, "utf8");
    } catch {}
    if (have === want) continue;
    drifted.push(file);
    if (!check) {
      mkdirSync(`prisma/${name}`, { recursive: true });
      writeFileSync(file, want);
    }
  }
  return drifted;
}

if (process.argv[1]?.endsWith("prisma-render.ts")) {
  const check = process.argv.includes("--check");
  const drifted = renderAll(check);
  if (check && drifted.length) {
    console.error(`Out of date: ${drifted.join(", ")}. Run \`npm run db:render\`.`);
    process.exit(1);
  }
  if (!check) console.log(drifted.length ? `wrote ${drifted.join(", ")}` : "schemas up to date");
}
