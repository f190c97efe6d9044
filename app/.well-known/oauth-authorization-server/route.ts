// Authorization server metadata (RFC 8414 §3): the same document as openid-configuration.
export const dynamic = "force-dynamic";
export { discoveryGET as GET } from "@/lib/http/endpoints/discovery";
