// Authorization endpoint (RFC 6749 §3.1, OIDC Core §3.1.2.1): GET and form POST.
import { authorizeGET, authorizePOST } from "@/lib/http/endpoints/authorize";
import { webHandler } from "@/lib/http/web-handler";

export const GET = webHandler(authorizeGET);
export const POST = webHandler(authorizePOST);
export const dynamic = "force-dynamic";
