// Token endpoint (RFC 6749 §3.2).
import { tokenOPTIONS, tokenPOST } from "@/lib/http/endpoints/token";
import { webHandler } from "@/lib/http/web-handler";

export const POST = webHandler(tokenPOST);
// The CORS preflight (lib/http/cors.ts).
export const OPTIONS = webHandler(tokenOPTIONS);
