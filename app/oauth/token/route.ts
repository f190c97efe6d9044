// Token endpoint (RFC 6749 §3.2).
import { tokenPOST } from "@/lib/http/endpoints/token";
import { webHandler } from "@/lib/http/web-handler";

export const POST = webHandler(tokenPOST);
