// OpenID Provider metadata (OIDC Discovery 1.0 §4). Dynamic: the issuer comes from the environment at run time.
import { discoveryGET, discoveryOPTIONS } from "@/lib/http/endpoints/discovery";
import { webHandler } from "@/lib/http/web-handler";

export const dynamic = "force-dynamic";
export const GET = webHandler(discoveryGET);
// The CORS preflight (lib/http/cors.ts).
export const OPTIONS = webHandler(discoveryOPTIONS);
