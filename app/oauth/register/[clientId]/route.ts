// Client configuration endpoint, the registration_client_uri (RFC 7592 §2): read, update, delete.
import { registrationClientDELETE, registrationClientGET, registrationClientOPTIONS, registrationClientPUT } from "@/lib/http/endpoints/registration";
import { webHandler } from "@/lib/http/web-handler";

export const GET = webHandler(registrationClientGET);
export const PUT = webHandler(registrationClientPUT);
export const DELETE = webHandler(registrationClientDELETE);
// The CORS preflight (lib/http/cors.ts).
export const OPTIONS = webHandler(registrationClientOPTIONS);
