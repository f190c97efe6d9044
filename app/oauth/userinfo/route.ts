// UserInfo endpoint (OIDC Core §5.3).
export { userinfoGET as GET, userinfoPOST as POST } from "@/lib/http/endpoints/userinfo";
