// OpenID Provider metadata (OIDC Discovery 1.0 §4). Dynamic: the issuer comes from the environment at run time.
export const dynamic = "force-dynamic";
export { discoveryGET as GET } from "@/lib/http/endpoints/discovery";
