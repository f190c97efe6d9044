// Liveness: the process answers (lib/http/endpoints/health.ts).
import { healthGET } from "@/lib/http/endpoints/health";
import { webHandler } from "@/lib/http/web-handler";

export const dynamic = "force-dynamic";
export const GET = webHandler(healthGET);
