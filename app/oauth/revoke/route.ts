// Token revocation (RFC 7009).
export { revocationPOST as POST } from "@/lib/http/endpoints/revocation";
