// Authorization server metadata (RFC 8414 §3): the same document as openid-configuration.
import { discoveryGET } from "@/lib/http/endpoints/discovery";
import { webHandler } from "@/lib/http/web-handler";

export const dynamic = "force-dynamic";
export const GET = webHandler(discoveryGET);
