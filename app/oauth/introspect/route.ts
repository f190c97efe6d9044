// Token introspection (RFC 7662).
export { introspectionPOST as POST } from "@/lib/http/endpoints/introspection";
