// The public signing keys (RFC 7517), read from the key ring at run time.
import { jwksGET, jwksOPTIONS } from "@/lib/http/endpoints/jwks";
import { webHandler } from "@/lib/http/web-handler";

export const dynamic = "force-dynamic";
export const GET = webHandler(jwksGET);
// The CORS preflight (lib/http/cors.ts).
export const OPTIONS = webHandler(jwksOPTIONS);
