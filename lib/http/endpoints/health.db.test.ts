// GET /api/health and GET /api/ready (issue 18 §4) on real SQLite and PostgreSQL: ready is 200
// only when not draining, the database answers in time and no migration is pending; otherwise
// 503 naming the failed check, never an error's text.
import { createServer, type Server, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROVIDERS, tempDatabase, type TempDatabase } from "@test/db";
import { webEndpoints } from "@test/web-endpoints";
import { createSql, type Sql } from "../../db/protocol/sql";
import { databaseReadiness } from "../../db/readiness";
import { healthGET, makeReady } from "./health";

const TIMEOUT_MS = 300;
const get = (path: string) => new Request(`http://localhost${path}`);

async function answer(res: Response) {
  return { status: res.status, cacheControl: res.headers.get("cache-control"), body: await res.json() };
}

it("GET /api/health: 200 {status: ok}, no-store, without touching a database", async () => {
  const ep = webEndpoints({ health: healthGET });
  expect(await answer(await ep.health(get("/api/health")))).toEqual({ status: 200, cacheControl: "no-store", body: { status: "ok" } });
});

describe.each(PROVIDERS)("GET /api/ready on %s", (provider) => {
  let t: TempDatabase;
  let sql: Sql;
  let draining = false;
  beforeAll(async () => {
    t = await tempDatabase(provider);
    sql = createSql(t.url);
    t.onDrop(() => sql.close());
  });
  afterAll(async () => {
    await t?.drop();
  });

  const ready = (s: () => Pick<Sql, "one"> = () => sql) =>
    webEndpoints({
      ready: makeReady(() => ({
        ...databaseReadiness({ sql: s, db: () => t.db, provider, timeoutMs: TIMEOUT_MS }),
        draining: () => draining,
      })),
    }).ready(get("/api/ready"));

  it("200 when the database answers and every migration is applied", async () => {
    expect(await answer(await ready())).toEqual({
      status: 200,
      cacheControl: "no-store",
      body: { status: "ready", checks: { draining: "ok", database: "ok", migrations: "ok" } },
    });
  });

  it("503 while draining, without asking the database", async () => {
    draining = true;
    let asked = false;
    const res = await ready(() => ({
      one: async () => {
        asked = true;
        return undefined;
      },
    }));
    draining = false;
    expect(await answer(res)).toEqual({
      status: 503,
      cacheControl: "no-store",
      body: { status: "unavailable", failed: ["draining"], checks: { draining: "draining" } },
    });
    expect(asked).toBe(false);
  });

  it("503 naming migrations when one is pending", async () => {
    const [last] = await t.db.$queryRawUnsafe<{ migration_name: string }[]>(
      "SELECT migration_name FROM _prisma_migrations ORDER BY migration_name DESC LIMIT 1",
    );
    await t.db.$executeRawUnsafe(`DELETE FROM _prisma_migrations WHERE migration_name = '${last!.migration_name}'`);
    expect(await answer(await ready())).toEqual({
      status: 503,
      cacheControl: "no-store",
      body: { status: "unavailable", failed: ["migrations"], checks: { draining: "ok", database: "ok", migrations: "pending" } },
    });
  });
});

describe("GET /api/ready with PostgreSQL away", () => {
  let blackhole: Server;
  const sockets: Socket[] = [];
  let port = 0;
  beforeAll(async () => {
    // Accepts connections and never answers: a frozen database server.
    blackhole = createServer((s) => void sockets.push(s));
    await new Promise<void>((r) => blackhole.listen(0, "127.0.0.1", r));
    port = (blackhole.address() as { port: number }).port;
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => blackhole.close(() => r()));
  });

  const readyOn = async (url: string) => {
    const sql = createSql(url);
    const res = await webEndpoints({
      ready: makeReady(() => ({
        ...databaseReadiness({
          sql: () => sql,
          db: () => {
            throw new Error("not asked while the database is away");
          },
          provider: "postgres",
          timeoutMs: TIMEOUT_MS,
        }),
        draining: () => false,
      })),
    }).ready(get("/api/ready"));
    void sql.close().catch(() => undefined);
    return res;
  };

  it("503 'unreachable' when nothing listens (no error text in the body)", async () => {
    // Port 1 on loopback: connection refused at once.
    const res = await readyOn("postgresql://postgres@127.0.0.1:1/latchkey");
    const body = await res.text();
    expect(res.status).toBe(503);
    expect(JSON.parse(body)).toEqual({ status: "unavailable", failed: ["database"], checks: { draining: "ok", database: "unreachable", migrations: "not_checked" } });
    expect(body).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/);
  });

  it("503 'timeout' within the timeout when the server accepts and never answers", async () => {
    const started = Date.now();
    const res = await readyOn(`postgresql://postgres@127.0.0.1:${port}/latchkey`);
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + 700);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: "unavailable", failed: ["database"], checks: { draining: "ok", database: "timeout", migrations: "not_checked" } });
  });
});
