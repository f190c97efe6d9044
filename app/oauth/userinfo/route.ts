// UserInfo endpoint (OIDC Core §5.3).
import { userinfoGET, userinfoPOST } from "@/lib/http/endpoints/userinfo";
import { webHandler } from "@/lib/http/web-handler";

export const GET = webHandler(userinfoGET);
export const POST = webHandler(userinfoPOST);
