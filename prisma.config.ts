// Prisma CLI configuration (Prisma 6.19, JS engine: no native binaries, see ../shared/PLATFORM.md).
// The provider follows DATABASE_URL, exactly as the app does: the embedded SQLite file by
// default, PostgreSQL for a postgresql:// URL. Each provider has its own schema and migrations
// under prisma/<provider>/.
import { defineConfig } from "prisma/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { databaseProvider, databaseUrl } from "./lib/config/database-url";

const url = databaseUrl();
const provider = databaseProvider(url);
// The schema's datasource reads env("DATABASE_URL"); give it the same resolved default.
process.env.DATABASE_URL = url;

// Workaround for prisma/orm#27403: the WebAssembly schema engine reads PostgreSQL catalog
// columns of type `name` (OID 19) and, when introspecting (`db push`, `db pull`), `"char"`
// (OID 18), which @prisma/adapter-pg cannot deserialize ("Column type 'name' could not be
// deserialized"). Both are plain strings, so reporting them as `text` (OID 25) is exact for the
// engine's purposes. Only the CLI needs this; the runtime client does not.
const CATALOG_STRING_OIDS = new Set([18, 19]);
class NameAsTextPool extends pg.Pool {
  // pg's overloads are not expressible in a subclass signature; forward the arguments as given.
  query(...args: unknown[]): never {
    const result = (super.query as (...a: unknown[]) => unknown)(...args);
    if (result && typeof (result as Promise<unknown>).then === "function") {
      return (result as Promise<pg.QueryResult>).then((r) => {
        for (const f of r?.fields ?? []) if (CATALOG_STRING_OIDS.has(f.dataTypeID)) f.dataTypeID = 25;
        return r;
      }) as never;
    }
    return result as never;
  }
}

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: `prisma/${provider}/schema.prisma`,
  async adapter() {
    if (provider === "sqlite") return new PrismaBetterSQLite3({ url });
    // allowExitOnIdle: let each CLI command exit as soon as it is done (not after the idle timeout).
    return new PrismaPg(new NameAsTextPool({ connectionString: url, allowExitOnIdle: true }));
  },
});
