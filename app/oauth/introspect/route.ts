// Token introspection (RFC 7662).
import { introspectionPOST } from "@/lib/http/endpoints/introspection";
import { webHandler } from "@/lib/http/web-handler";

export const POST = webHandler(introspectionPOST);
