// End-session endpoint (OpenID Connect RP-Initiated Logout 1.0).
import { endSessionGET, endSessionPOST } from "@/lib/http/endpoints/end-session";
import { webHandler } from "@/lib/http/web-handler";

export const GET = webHandler(endSessionGET);
export const POST = webHandler(endSessionPOST);
