// Readiness: not draining, the database answers, no migration pending (lib/http/endpoints/health.ts).
import { readyGET } from "@/lib/http/endpoints/health";
import { webHandler } from "@/lib/http/web-handler";

export const dynamic = "force-dynamic";
export const GET = webHandler(readyGET);
