// What the request listener observes of every request (issue 18 §4): the request id, the
// request metrics by route and status class, the token counter by grant type, /metrics behind
// its token, and ONE log line per failed request, without secrets, rate-limited.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { captureLog, type CapturedLog } from "@test/log-capture";
import { createWorld, basicAuth } from "@test/token-world";
import { createMetrics, type Metrics } from "../ops/metrics";
import { processWide } from "../process-wide";
import type { Endpoint } from "./endpoint";
import { makeMetrics } from "./endpoints/metrics";
import { makeToken } from "./endpoints/token";
import { protocolRouter } from "./node-adapter";
import { requestListener } from "./request-listener";

const SECRET = "s3cr3t-client-secret-value-0123456789";
const METRICS_TOKEN = "m".repeat(40);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const world = createWorld();
world.addClient({ clientId: "svc", grantTypes: ["client_credentials"], scopes: ["read"] }, SECRET);
const boom: Endpoint = async () => {
  throw new Error("the unexpected");
};

let metrics: Metrics;
let capture: CapturedLog;
let server: Server;
let base: string;
let metricsToken: string | null = METRICS_TOKEN;

function listen(perSecond: number) {
  capture = captureLog({ perSecond });
  const routes = {
    "/oauth/token": { POST: makeToken(() => world.deps) },
    "/boom": { GET: boom },
    "/oauth/register/*": { GET: boom },
    "/metrics": { GET: makeMetrics({ token: () => metricsToken, metrics: () => metrics }) },
  };
  const listener = requestListener({
    issuer: "http://localhost:3000",
    dev: false,
    protocol: protocolRouter(routes),
    next: (_req: IncomingMessage, res: ServerResponse) => {
      res.statusCode = 404;
      res.end("not found");
    },
    metrics,
    log: capture.log,
  });
  server = createServer(listener);
  return new Promise<void>((r) =>
    server.listen(0, "127.0.0.1", () => {
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      r();
    }),
  );
}

beforeAll(async () => {
  metrics = createMetrics();
  // The token endpoint counts into the process's metrics, as in the server.
  processWide.metrics = metrics;
  await listen(10);
});
afterAll(async () => {
  processWide.metrics = undefined;
  capture.restore();
  await new Promise<void>((r) => server.close(() => r()));
});
afterEach(() => {
  capture.log.flush();
  capture.raw.length = 0;
  metricsToken = METRICS_TOKEN;
});

const tokenRequest = (secret: string, headers: Record<string, string> = {}) =>
  fetch(`${base}/oauth/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", authorization: basicAuth("svc", secret), ...headers },
    body: "grant_type=client_credentials&scope=read",
  });

/** The value of one series in the registry, or 0. */
async function value(name: string, labels: Record<string, string> = {}): Promise<number> {
  const all = await metrics.registry.getMetricsAsJSON();
  for (const m of all) {
    for (const v of m.values as { metricName?: string; labels: Record<string, string | number>; value: number }[]) {
      if ((v.metricName ?? m.name) === name && Object.entries(labels).every(([k, l]) => String(v.labels[k]) === l)) return v.value;
    }
  }
  return 0;
}

describe("request id", () => {
  it("a well-formed X-Request-Id is echoed; none, or a malformed one, gets a fresh UUID", async () => {
    const given = await fetch(`${base}/boom`, { headers: { "x-request-id": "lb-7f3a:42.x_y" } });
    expect(given.headers.get("x-request-id")).toBe("lb-7f3a:42.x_y");
    const none = await fetch(`${base}/elsewhere`);
    expect(none.headers.get("x-request-id")).toMatch(UUID);
    for (const bad of ["a b", "x".repeat(65), "<script>", "a\u00e9"]) {
      const r = await fetch(`${base}/elsewhere`, { headers: { "x-request-id": encodeURI(bad) === bad ? bad : "a;b" } });
      expect(r.headers.get("x-request-id")).toMatch(UUID);
    }
  });
});

describe("GET /metrics (METRICS_TOKEN)", () => {
  it("404 when METRICS_TOKEN is not set", async () => {
    metricsToken = null;
    const r = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(r.status).toBe(404);
    expect(await r.json()).toEqual({ error: "not_found", error_description: "Metrics are off: set METRICS_TOKEN to serve them" });
  });

  it("401 with a wrong token or none, with a Bearer challenge (RFC 6750 §3)", async () => {
    for (const authorization of [`Bearer ${"n".repeat(40)}`, `Bearer ${METRICS_TOKEN}x`, `Basic ${METRICS_TOKEN}`, ""]) {
      const r = await fetch(`${base}/metrics`, { headers: authorization ? { authorization } : {} });
      expect([r.status, r.headers.get("www-authenticate"), r.headers.get("cache-control")]).toEqual([401, 'Bearer realm="latchkey-metrics"', "no-store"]);
      expect(((await r.json()) as { error: string }).error).toBe("invalid_token");
    }
    // A wrong scrape token is a failed request like any other: one line, with its error code, never the token.
    expect(capture.lines().map((l) => [l.route, l.status, l.error])).toEqual(Array.from({ length: 4 }, () => ["/metrics", 401, "invalid_token"]));
    expect(capture.raw.join("")).not.toContain("nnnnnnnnnn");
  });

  it("200 in the Prometheus text format with the right token, default process metrics included", async () => {
    const r = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    expect(r.headers.get("cache-control")).toBe("no-store");
    const text = await r.text();
    expect(text).toContain("# TYPE latchkey_http_request_duration_seconds histogram");
    expect(text).toContain("# TYPE latchkey_process_cpu_seconds_total counter");
    expect(text).toContain("# TYPE latchkey_tokens_issued_total counter");
  });
});

describe("request metrics", () => {
  it("a client_credentials request: the grant's token counter +1, the histogram has the route and status class", async () => {
    const issued = await value("latchkey_tokens_issued_total", { grant_type: "client_credentials" });
    const ok = await value("latchkey_http_request_duration_seconds_count", { route: "/oauth/token", status: "2xx" });
    const r = await tokenRequest(SECRET);
    expect(r.status).toBe(200);
    expect(await value("latchkey_tokens_issued_total", { grant_type: "client_credentials" })).toBe(issued + 1);
    expect(await value("latchkey_http_request_duration_seconds_count", { route: "/oauth/token", status: "2xx" })).toBe(ok + 1);
    // A failed one is not a token; it is a 4xx and an OAuth error of that route.
    const failed = await value("latchkey_oauth_errors_total", { route: "/oauth/token", error: "invalid_client" });
    expect((await tokenRequest("wrong")).status).toBe(401);
    expect(await value("latchkey_tokens_issued_total", { grant_type: "client_credentials" })).toBe(issued + 1);
    expect(await value("latchkey_oauth_errors_total", { route: "/oauth/token", error: "invalid_client" })).toBe(failed + 1);
    expect(await value("latchkey_http_request_duration_seconds_count", { route: "/oauth/token", status: "4xx" })).toBeGreaterThan(0);
  });

  it("label values stay bounded: 200 random paths make no new series", async () => {
    await fetch(`${base}/oauth/register/warm-up`);
    await fetch(`${base}/warm-up`);
    const series = async () => ((await metrics.registry.getSingleMetric("latchkey_http_request_duration_seconds")!.get()).values as unknown[]).length;
    const before = await series();
    for (let i = 0; i < 100; i++) {
      await fetch(`${base}/random/${Math.random().toString(36).slice(2)}?q=${i}`);
      await fetch(`${base}/oauth/register/${Math.random().toString(36).slice(2)}`);
    }
    expect(await series()).toBe(before);
    const routes = new Set(
      ((await metrics.registry.getSingleMetric("latchkey_http_request_duration_seconds")!.get()).values as { labels: { route?: string } }[]).map(
        (v) => v.labels.route,
      ),
    );
    expect([...routes].sort()).toEqual(["/boom", "/metrics", "/oauth/register/*", "/oauth/token", "next"].filter((r) => routes.has(r)));
    expect(routes.has("next")).toBe(true);
    expect(routes.has("/oauth/register/*")).toBe(true);
  });
});

describe("one log line per failed request", () => {
  it("a failed token request: exactly one JSON line with the request id, the route, status and error code, and no secret", async () => {
    const r = await tokenRequest("wrong-secret-value-that-must-not-be-logged", { "x-request-id": "req-1" });
    expect(r.status).toBe(401);
    expect(capture.raw).toHaveLength(1);
    const line = capture.raw[0]!;
    expect(line.endsWith("\n")).toBe(true);
    expect(line.trimEnd()).not.toContain("\n");
    const entry = JSON.parse(line) as Record<string, unknown>;
    expect(entry).toMatchObject({
      level: "info",
      msg: "request failed",
      reqId: "req-1",
      method: "POST",
      route: "/oauth/token",
      status: 401,
      error: "invalid_client",
      ip: "127.0.0.1",
    });
    expect(typeof entry.durationMs).toBe("number");
    expect(entry).not.toHaveProperty("err"); // an expected error: no stack
    expect(line).not.toContain("wrong-secret-value");
    expect(line).not.toContain(basicAuth("svc", "wrong-secret-value-that-must-not-be-logged").slice(6));
    expect(line).not.toContain("grant_type");
    expect(line.toLowerCase()).not.toContain("authorization");
  });

  it("a successful request and a page's 404 write nothing", async () => {
    expect((await tokenRequest(SECRET)).status).toBe(200);
    expect((await fetch(`${base}/no-such-page`)).status).toBe(404);
    expect(capture.raw).toHaveLength(0);
  });

  it("an unexpected exception: 500 without detail on the wire, one line at level error with the stack", async () => {
    const r = await fetch(`${base}/boom`, { headers: { "x-request-id": "bug-1" } });
    expect(r.status).toBe(500);
    expect(await r.text()).not.toContain("the unexpected");
    const lines = capture.lines();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: "error", reqId: "bug-1", route: "/boom", status: 500, error: "server_error" });
    const err = lines[0]!.err as { type: string; message: string; stack: string };
    expect([err.type, err.message]).toEqual(["Error", "the unexpected"]);
    expect(err.stack).toContain("request-observe.test.ts");
  });

  it("1,000 failures in a burst: at most 10 lines of that kind per second, and 'suppressed K similar lines' for the rest", async () => {
    const N = 1000;
    const started = Date.now();
    const statuses = await Promise.all(Array.from({ length: N }, () => tokenRequest("wrong").then((r) => r.status)));
    const seconds = Math.ceil((Date.now() - started) / 1000) + 1; // windows the burst can touch
    expect(statuses.every((s) => s === 401)).toBe(true);
    await new Promise((r) => setTimeout(r, 1100)); // the last summary comes when its second is over
    const lines = capture.lines();
    const failures = lines.filter((l) => l.msg === "request failed");
    const summaries = lines.filter((l) => String(l.msg).startsWith("suppressed "));
    expect(failures.length).toBeGreaterThanOrEqual(10);
    expect(failures.length).toBeLessThanOrEqual(10 * seconds);
    expect(summaries.length).toBeGreaterThanOrEqual(1);
    expect(summaries.length).toBeLessThanOrEqual(seconds);
    expect(lines).toHaveLength(failures.length + summaries.length);
    // Every failure is either a line or counted in a summary.
    expect(failures.length + summaries.reduce((n, s) => n + (s.suppressed as number), 0)).toBe(N);
    expect(summaries[0]).toMatchObject({ level: "warn", kind: "request /oauth/token 401 invalid_client" });
    expect(summaries[0]!.msg).toBe(`suppressed ${summaries[0]!.suppressed} similar lines`);
  });
});
