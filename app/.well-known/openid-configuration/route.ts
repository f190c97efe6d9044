// OpenID Provider metadata (OIDC Discovery 1.0 §4). Dynamic: the issuer comes from the environment at run time.
import { discoveryGET } from "@/lib/http/endpoints/discovery";
import { webHandler } from "@/lib/http/web-handler";

export const dynamic = "force-dynamic";
export const GET = webHandler(discoveryGET);
