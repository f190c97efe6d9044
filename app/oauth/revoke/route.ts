// Token revocation (RFC 7009).
import { revocationOPTIONS, revocationPOST } from "@/lib/http/endpoints/revocation";
import { webHandler } from "@/lib/http/web-handler";

export const POST = webHandler(revocationPOST);
// The CORS preflight (lib/http/cors.ts).
export const OPTIONS = webHandler(revocationOPTIONS);
