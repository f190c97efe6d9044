// Authorization server metadata (RFC 8414 §3): the same document as openid-configuration.
import { discoveryGET, discoveryOPTIONS } from "@/lib/http/endpoints/discovery";
import { webHandler } from "@/lib/http/web-handler";

export const dynamic = "force-dynamic";
export const GET = webHandler(discoveryGET);
// The CORS preflight (lib/http/cors.ts).
export const OPTIONS = webHandler(discoveryOPTIONS);
