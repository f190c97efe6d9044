// Dynamic client registration endpoint (RFC 7591 §3).
import { registrationOPTIONS, registrationPOST } from "@/lib/http/endpoints/registration";
import { webHandler } from "@/lib/http/web-handler";

export const POST = webHandler(registrationPOST);
// The CORS preflight (lib/http/cors.ts).
export const OPTIONS = webHandler(registrationOPTIONS);
