// Prometheus metrics, with METRICS_TOKEN only (lib/http/endpoints/metrics.ts).
import { metricsGET } from "@/lib/http/endpoints/metrics";
import { webHandler } from "@/lib/http/web-handler";

export const dynamic = "force-dynamic";
export const GET = webHandler(metricsGET);
