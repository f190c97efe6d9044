// UserInfo endpoint (OIDC Core §5.3).
import { userinfoEndpoint, userinfoOPTIONS } from "@/lib/http/endpoints/userinfo";
import { webHandler } from "@/lib/http/web-handler";

export const GET = webHandler(userinfoEndpoint);
export const POST = GET;
// The CORS preflight (lib/http/cors.ts).
export const OPTIONS = webHandler(userinfoOPTIONS);
