// UserInfo endpoint (OIDC Core §5.3).
import { userinfoEndpoint } from "@/lib/http/endpoints/userinfo";
import { webHandler } from "@/lib/http/web-handler";

export const GET = webHandler(userinfoEndpoint);
export const POST = GET;
