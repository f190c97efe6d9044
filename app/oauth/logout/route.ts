// End-session endpoint (OpenID Connect RP-Initiated Logout 1.0).
import { endSessionEndpoint } from "@/lib/http/endpoints/end-session";
import { webHandler } from "@/lib/http/web-handler";

export const GET = webHandler(endSessionEndpoint);
export const POST = GET;
