// Authorization endpoint (RFC 6749 §3.1, OIDC Core §3.1.2.1): GET and form POST.
export { authorizeGET as GET, authorizePOST as POST } from "@/lib/http/endpoints/authorize";
export const dynamic = "force-dynamic";
