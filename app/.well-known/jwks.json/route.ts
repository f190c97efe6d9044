// The public signing keys (RFC 7517), read from the key ring at run time.
export const dynamic = "force-dynamic";
export { jwksGET as GET } from "@/lib/http/endpoints/jwks";
