// Token revocation (RFC 7009).
import { revocationPOST } from "@/lib/http/endpoints/revocation";
import { webHandler } from "@/lib/http/web-handler";

export const POST = webHandler(revocationPOST);
