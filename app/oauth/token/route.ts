// Token endpoint (RFC 6749 §3.2).
export { tokenPOST as POST } from "@/lib/http/endpoints/token";
