// GET /metrics: the Prometheus text format (lib/ops/metrics.ts says what is counted).
// Opt-in: only when METRICS_TOKEN is set (404 otherwise), and only with that token as a bearer
// token (RFC 6750 §2.1), compared in constant time. Served on the same port as everything else,
// so a scraper reaches each instance the way clients do, through any network layout, and
// Prometheus sends the token itself (`authorization: { credentials: … }` in its scrape config).
import type { Endpoint, PlainResponse } from "../endpoint";
import { json } from "../oauth-response";
import { safeEqual } from "../../crypto/tokens";
import { getConfig } from "../../config";
import { serverMetrics } from "../../runtime";
import type { Metrics } from "../../ops/metrics";

export interface MetricsEnv {
  /** METRICS_TOKEN, or null when /metrics is off. */
  token(): string | null;
  metrics(): Metrics;
}

const BEARER = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/;

export function makeMetrics(env: MetricsEnv): Endpoint {
  return async (req): Promise<PlainResponse> => {
    const token = env.token();
    if (token === null) return json({ error: "not_found", error_description: "Metrics are off: set METRICS_TOKEN to serve them" }, 404);
    const presented = BEARER.exec(req.headers.get("authorization") ?? "")?.[1];
    if (presented === undefined || !safeEqual(presented, token)) {
      const r = json({ error: "invalid_token", error_description: "GET /metrics needs Authorization: Bearer <METRICS_TOKEN>" }, 401, {
        "WWW-Authenticate": 'Bearer realm="latchkey-metrics"',
      });
      r.error = "invalid_token"; // for the log line and latchkey_oauth_errors_total
      return r;
    }
    const { registry } = env.metrics();
    return { status: 200, headers: { "Content-Type": registry.contentType, "Cache-Control": "no-store" }, body: await registry.metrics() };
  };
}

export const metricsGET = makeMetrics({ token: () => getConfig().metricsToken, metrics: serverMetrics });
